// db: PostgreSQL implementation of policy::PolicyStore (tables labels, label_policies,
// label_policy_labels, label_policy_assignments, smime_settings, user_smime_settings,
// policy_generation; migration 0007; catalog_version, 0015).
//
// Every call is one transaction through Pool::transact_blocking, so it must not be called from a
// pool thread or an event-loop coroutine (see pool.hpp). replace_catalog deletes and re-inserts
// the whole catalog in one transaction; the catalog is read in one REPEATABLE READ snapshot, so
// readers see the old or the new catalog, never a mix.
// Error codes: db_unavailable (transient), db_error, db_duplicate (a unique name/priority/id
// violated), not_found (user_settings/save_user_settings of an unknown address), conflict
// (save_smime_settings or replace_catalog_if with a stale version).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/policy/policy_store.hpp"

namespace smimegw::db {

class PgPolicyStore final : public policy::PolicyStore {
 public:
  explicit PgPolicyStore(Pool& pool) : pool_(pool) {}

  core::Result<policy::Catalog> load_catalog() override;
  core::Result<policy::VersionedCatalog> load_versioned_catalog() override;
  core::Status replace_catalog(const policy::Catalog& catalog) override;
  core::Result<std::int64_t> replace_catalog_if(const policy::Catalog& catalog,
                                                std::int64_t expected_version) override;
  core::Result<policy::VersionedSettings> smime_settings() override;
  core::Result<std::int64_t> save_smime_settings(const policy::SmimeSettings& settings,
                                                 std::int64_t expected_version) override;
  core::Result<std::optional<policy::UserSmimeSettings>> user_settings(
      const std::string& address) override;
  core::Status save_user_settings(const std::string& address,
                                  const policy::UserSmimeSettings& settings) override;
  core::Result<std::int64_t> generation() override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
