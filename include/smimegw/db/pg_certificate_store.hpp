// db: PostgreSQL implementation of directory::CertificateStore (tables user_certificates,
// installed_certificates and audit_log, migration 0005). Lookups and user certificates are in
// src/db/certificate_store.cpp; installed certificates, the vault's rewrap and the audit log in
// src/db/certificate_admin.cpp. Every call is one transaction on the pool (awaitable).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/directory/certificate_store.hpp"

namespace smimegw::db {

class PgCertificateStore final : public directory::CertificateStore {
 public:
  explicit PgCertificateStore(Pool& pool) : pool_(pool) {}

  boost::asio::awaitable<core::Result<std::vector<directory::UserCertificate>>> gal_certificates(
      std::string address) override;
  boost::asio::awaitable<
      core::Result<std::vector<std::pair<std::string, directory::UserCertificate>>>>
  gal_certificates_batch(std::vector<std::string> addresses) override;
  boost::asio::awaitable<core::Result<std::vector<directory::InstalledCertificate>>>
  installed_certificates(std::string owner_address, std::string contact_address) override;

  boost::asio::awaitable<core::Result<std::vector<std::int64_t>>> add_user_certificates(
      std::vector<directory::NewUserCertificate> certs,
      std::vector<directory::AuditEntry> audit) override;
  boost::asio::awaitable<core::Result<std::vector<directory::UserCertificate>>> user_certificates(
      std::int64_t user_id) override;
  boost::asio::awaitable<core::Result<std::optional<directory::WrappedKey>>> wrapped_key(
      std::int64_t certificate_id) override;
  boost::asio::awaitable<core::Status> remove_user_certificate(
      std::int64_t user_id, std::string thumbprint, directory::AuditEntry audit) override;

  boost::asio::awaitable<core::Result<std::vector<std::string>>> kek_ids() override;
  boost::asio::awaitable<core::Result<std::size_t>> rewrap_all(
      std::function<core::Result<directory::WrappedKey>(const directory::WrappedKeyRow&)> rewrap,
      directory::AuditEntry audit) override;

  boost::asio::awaitable<core::Result<bool>> add_installed(
      directory::InstalledCertificate cert) override;
  boost::asio::awaitable<core::Result<std::vector<directory::InstalledCertificate>>> list_installed(
      std::int64_t owner_user_id) override;
  boost::asio::awaitable<core::Status> remove_installed(std::int64_t owner_user_id,
                                                        std::string thumbprint) override;

  boost::asio::awaitable<core::Status> append_audit(directory::AuditEntry entry) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
