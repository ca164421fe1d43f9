// db: PostgreSQL implementation of trust::CrlStore (tables crl_cache and fetched_certificates,
// migration 0003). Every call is one transaction through Pool::transact_blocking (not from a pool
// thread or an event-loop coroutine). Errors: db_unavailable (transient), db_error.
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/trust/crl_store.hpp"

namespace smimegw::db {

class PgCrlStore final : public trust::CrlStore {
 public:
  explicit PgCrlStore(Pool& pool) : pool_(pool) {}

  core::Result<std::optional<trust::StoredCrl>> find_crl(const std::string& url) override;
  core::Status put_crl(const trust::StoredCrl& crl) override;
  core::Result<std::vector<trust::StoredCrl>> list_crls() override;
  core::Status put_fetched_certificate(const trust::StoredFetchedCertificate& cert) override;
  core::Result<std::vector<trust::StoredFetchedCertificate>> fetched_certificates() override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
