// db: installed certificates, the key vault's KEK ids and rotation, and the audit log
// (pg_certificate_store.hpp).
#include <stdexcept>

#include "certificate_rows.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using namespace certrows;

namespace {
constexpr Statement kKekIds{"certs_kek_ids",
                            "SELECT kek_id FROM user_certificates WHERE kek_id IS NOT NULL "
                            "UNION SELECT kek_id FROM gateway_keys ORDER BY 1"};
constexpr Statement kLockKeys{"certs_keys_lock",
                              "SELECT id, thumbprint, wrapped_key, kek_id FROM user_certificates "
                              "WHERE wrapped_key IS NOT NULL ORDER BY id FOR UPDATE"};
// Gateway keys (gateway_key.hpp) are wrapped by the same vault and rotate with the user keys.
constexpr Statement kLockGatewayKeys{"certs_gateway_keys_lock",
                                     "SELECT id, thumbprint, key_ciphertext, kek_id FROM "
                                     "gateway_keys ORDER BY id FOR UPDATE"};
constexpr Statement kUpdateGatewayKey{
    "certs_gateway_key_update",
    "UPDATE gateway_keys SET key_ciphertext = $2, kek_id = $3 WHERE id = $1"};
constexpr Statement kUpdateKey{
    "certs_key_update", "UPDATE user_certificates SET wrapped_key = $2, kek_id = $3 WHERE id = $1"};
constexpr Statement kInstalledInsert{
    "certs_installed_insert",
    "INSERT INTO installed_certificates (owner_user_id, address, der, thumbprint, not_after, "
    "source) SELECT $1, $2, $3, $4, to_timestamp($5), $6 WHERE NOT EXISTS (SELECT 1 FROM "
    "installed_certificates WHERE owner_user_id = $1 AND thumbprint = $4) RETURNING id"};
constexpr Statement kInstalledList{"certs_installed_list",
                                   "SELECT " SMIMEGW_INSTALLED_COLUMNS
                                   " FROM installed_certificates i WHERE i.owner_user_id = $1"
                                   " ORDER BY i.address, i.not_after DESC, i.id"};
constexpr Statement kInstalledDelete{
    "certs_installed_delete",
    "DELETE FROM installed_certificates WHERE owner_user_id = $1 AND thumbprint = $2 RETURNING id"};
}  // namespace

asio::awaitable<core::Result<std::vector<std::string>>> PgCertificateStore::kek_ids() {
  co_return co_await pool_.transact([](pqxx::work& tx) {
    std::vector<std::string> out;
    for (const auto& row : exec(tx, kKekIds)) out.push_back(row[0].as<std::string>());
    return out;
  });
}

asio::awaitable<core::Result<std::size_t>> PgCertificateStore::rewrap_all(
    std::function<core::Result<directory::WrappedKey>(const directory::WrappedKeyRow&)> rewrap,
    directory::AuditEntry audit) {
  std::optional<core::Error> failure;
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::size_t {
    failure.reset();  // a retried transaction starts clean
    std::size_t n = 0;
    for (const auto& row : exec(tx, kLockKeys)) {
      directory::WrappedKeyRow k;
      k.certificate_id = row[0].as<std::int64_t>();
      k.thumbprint = row[1].as<std::string>();
      k.key = {bytes(row[2]), row[3].as<std::string>()};
      auto fresh = rewrap(k);
      if (!fresh) {
        failure = fresh.error();
        throw std::runtime_error("rewrap failed");  // rolls back every row updated so far
      }
      exec(tx, kUpdateKey, k.certificate_id, blob(fresh->ciphertext), fresh->kek_id);
      ++n;
    }
    for (const auto& row : exec(tx, kLockGatewayKeys)) {
      directory::WrappedKeyRow k;
      k.certificate_id = -row[0].as<std::int64_t>();  // negative: a gateway key row
      k.thumbprint = row[1].as<std::string>();
      k.key = {bytes(row[2]), row[3].as<std::string>()};
      auto fresh = rewrap(k);
      if (!fresh) {
        failure = fresh.error();
        throw std::runtime_error("rewrap failed");
      }
      exec(tx, kUpdateGatewayKey, -k.certificate_id, blob(fresh->ciphertext), fresh->kek_id);
      ++n;
    }
    append_audit_row(tx, audit);
    return n;
  });
  if (failure) co_return *failure;
  co_return r;
}

asio::awaitable<core::Result<bool>> PgCertificateStore::add_installed(
    directory::InstalledCertificate c) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    return !exec(tx, kInstalledInsert, c.owner_user_id, c.address, blob(c.der), c.thumbprint,
                 epoch(c.not_after), c.source)
                .empty();
  });
}

asio::awaitable<core::Result<std::vector<directory::InstalledCertificate>>>
PgCertificateStore::list_installed(std::int64_t owner_user_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<directory::InstalledCertificate> out;
    for (const auto& row : exec(tx, kInstalledList, owner_user_id))
      out.push_back(installed_cert(row));
    return out;
  });
}

asio::awaitable<core::Status> PgCertificateStore::remove_installed(std::int64_t owner_user_id,
                                                                   std::string thumbprint) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    return !exec(tx, kInstalledDelete, owner_user_id, thumbprint).empty();
  });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("not_found", "no installed certificate " + thumbprint);
  co_return core::Status{};
}

asio::awaitable<core::Status> PgCertificateStore::append_audit(directory::AuditEntry entry) {
  co_return co_await pool_.transact([&](pqxx::work& tx) { append_audit_row(tx, entry); });
}

}  // namespace smimegw::db
