// policy: storage interface of the label catalog and the S/MIME settings (tables labels,
// label_policies, label_policy_labels, label_policy_assignments, smime_settings,
// user_smime_settings, policy_generation; migration 0007). Declared here, implemented by db
// (src/db/policy_store.cpp, db::PgPolicyStore); app wires the two. Includes only core and policy
// headers (db links the pure policy module for these plain structs).
//
// Calls are blocking (the CLI, the admin API's worker threads, transport's catalog cache refresh)
// and fail with the db module's codes: db_unavailable (transient), db_error; plus not_found
// (unknown user) and conflict (settings changed since they were read).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/policy/smime_settings.hpp"

namespace smimegw::policy {

/// The catalog with its version (table catalog_version, migration 0015): it increases on every
/// change of labels, policies, published labels or assignments, and on nothing else.
struct VersionedCatalog {
  Catalog catalog;
  std::int64_t version = 0;
};

struct VersionedSettings {
  SmimeSettings settings;
  std::int64_t version = 0;  ///< increases on every save
};

class PolicyStore {
 public:
  virtual ~PolicyStore() = default;

  /// The whole catalog: labels by priority, policies by priority (both descending), read from
  /// one snapshot (never half of a concurrent replace).
  virtual core::Result<Catalog> load_catalog() = 0;
  /// The same with its version, from the same snapshot.
  virtual core::Result<VersionedCatalog> load_versioned_catalog() = 0;
  /// Replaces labels and policies in one transaction (the import is declarative). The caller
  /// validates first; constraint violations come back as db_duplicate/db_error.
  virtual core::Status replace_catalog(const Catalog& catalog) = 0;
  /// The same when the catalog version is still `expected_version` (else `conflict`, nothing
  /// changed); returns the new version.
  virtual core::Result<std::int64_t> replace_catalog_if(const Catalog& catalog,
                                                        std::int64_t expected_version) = 0;

  virtual core::Result<VersionedSettings> smime_settings() = 0;
  /// Saves when the stored version is still `expected_version` (else `conflict`); returns the new
  /// version.
  virtual core::Result<std::int64_t> save_smime_settings(const SmimeSettings& settings,
                                                         std::int64_t expected_version) = 0;

  /// The settings of the user owning `address` (primary or proxy); nullopt when the user has
  /// none stored; `not_found` when no user has that address.
  virtual core::Result<std::optional<UserSmimeSettings>> user_settings(
      const std::string& address) = 0;
  virtual core::Status save_user_settings(const std::string& address,
                                          const UserSmimeSettings& settings) = 0;

  /// Increases on every change of the catalog or the settings (by anyone, psql included), so
  /// caches know when to reload.
  virtual core::Result<std::int64_t> generation() = 0;
};

}  // namespace smimegw::policy
