// http/admin: the policy services of the admin API — the sensitivity-label catalog (labels and
// label policies, in the JSON shape of the catalog file, docs/labels.md: snake_case field names as
// in config/labels.example.yaml) and the organisation's S/MIME settings (Set-SmimeConfig).
// Implemented by app (src/app/admin_labels.cpp, admin_smime_config.cpp) over policy::PolicyStore
// with the same parser and validator as `smimegw labels import` and the same merge as
// `smimegw smime-config set`. Bodies travel as JSON objects because their shape is the catalog
// file's, owned by app; invalid input is validation_failed with every "field: message".
//
// Error codes: validation_failed, not_found (no such label or policy), conflict (a label still
// published by a policy; settings changed concurrently), precondition_failed (If-Match does not
// hold), db_duplicate.
#pragma once

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http::admin {

/// A catalog answer with the catalog version it was read at or written as; the admin API sends
/// it as the entity tag "catalog-N" (one version for the whole catalog, labels and policies).
template <class T>
struct Versioned {
  T value;
  std::int64_t version = 0;
};

/// A write's precondition, from If-Match (RFC 9110 §13.1.1): any version (no field, or "*"), or
/// one of `versions`. Not holding: precondition_failed (412), nothing is changed.
struct IfMatch {
  bool any = true;
  std::vector<std::int64_t> versions;
  bool holds(std::int64_t version) const {
    return any || std::find(versions.begin(), versions.end(), version) != versions.end();
  }
};

/// Writes check the precondition against the version they read; an edit of one entry that finds
/// the catalog changed by someone else between its read and its write (another instance, the CLI)
/// is applied again to the new catalog when no If-Match was given, else it fails with
/// precondition_failed.
class Labels {
 public:
  virtual ~Labels() = default;
  using Object = Versioned<boost::json::object>;
  using Array = Versioned<boost::json::array>;
  template <class T>
  using Answer = boost::asio::awaitable<core::Result<T>>;

  /// Labels by priority, descending.
  virtual Answer<Array> list() = 0;
  /// By GUID (any spelling) or name (case-insensitive).
  virtual Answer<Object> get(std::string id) = 0;
  virtual Answer<Object> create(boost::json::object label, IfMatch pre) = 0;
  /// Merge-patch (RFC 7396) of the label's fields; the id cannot change.
  virtual Answer<Object> patch(std::string id, boost::json::object changes, IfMatch pre) = 0;
  /// Returns the new catalog version.
  virtual Answer<std::int64_t> remove(std::string id, IfMatch pre) = 0;
  /// Replaces the whole catalog ({"labels":[...],"policies":[...]}) in one transaction; returns
  /// {"labels": N, "policies": M}.
  virtual Answer<Object> replace(boost::json::object catalog, IfMatch pre) = 0;

  virtual Answer<Array> policies() = 0;
  /// By name (case-insensitive).
  virtual Answer<Object> policy(std::string name) = 0;
  virtual Answer<Object> create_policy(boost::json::object policy, IfMatch pre) = 0;
  virtual Answer<std::int64_t> remove_policy(std::string name, IfMatch pre) = 0;
};

class SmimeConfig {
 public:
  virtual ~SmimeConfig() = default;
  /// Every setting by its camelCase name, plus "version".
  virtual boost::asio::awaitable<core::Result<boost::json::object>> get() = 0;
  /// Applies the changes all or nothing (validation_failed names each bad field) when `pre` holds
  /// for the stored version (else precondition_failed); returns the settings as get() does. A
  /// change saved by someone else between the read and the write is `conflict` without If-Match,
  /// precondition_failed with it.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> patch(
      boost::json::object changes, std::string actor, IfMatch pre) = 0;
};

}  // namespace smimegw::http::admin
