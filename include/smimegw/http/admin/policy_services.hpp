// http/admin: the policy services of the admin API — the sensitivity-label catalog (labels and
// label policies, in the JSON shape of the catalog file, docs/labels.md: snake_case field names as
// in config/labels.example.yaml) and the organisation's S/MIME settings (Set-SmimeConfig).
// Implemented by app (src/app/admin_labels.cpp, admin_smime_config.cpp) over policy::PolicyStore
// with the same parser and validator as `smimegw labels import` and the same merge as
// `smimegw smime-config set`. Bodies travel as JSON objects because their shape is the catalog
// file's, owned by app; invalid input is validation_failed with every "field: message".
//
// Error codes: validation_failed, not_found (no such label or policy), conflict (a label still
// published by a policy; settings changed concurrently), db_duplicate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "smimegw/core/result.hpp"

namespace smimegw::http::admin {

class Labels {
 public:
  virtual ~Labels() = default;
  /// Labels by priority, descending.
  virtual boost::asio::awaitable<core::Result<boost::json::array>> list() = 0;
  /// By GUID (any spelling) or name (case-insensitive).
  virtual boost::asio::awaitable<core::Result<boost::json::object>> get(std::string id) = 0;
  virtual boost::asio::awaitable<core::Result<boost::json::object>> create(
      boost::json::object label) = 0;
  /// Merge-patch (RFC 7396) of the label's fields; the id cannot change.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> patch(
      std::string id, boost::json::object changes) = 0;
  virtual boost::asio::awaitable<core::Status> remove(std::string id) = 0;
  /// Replaces the whole catalog ({"labels":[...],"policies":[...]}) in one transaction; returns
  /// {"labels": N, "policies": M}.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> replace(
      boost::json::object catalog) = 0;

  virtual boost::asio::awaitable<core::Result<boost::json::array>> policies() = 0;
  /// By name (case-insensitive).
  virtual boost::asio::awaitable<core::Result<boost::json::object>> policy(std::string name) = 0;
  virtual boost::asio::awaitable<core::Result<boost::json::object>> create_policy(
      boost::json::object policy) = 0;
  virtual boost::asio::awaitable<core::Status> remove_policy(std::string name) = 0;
};

class SmimeConfig {
 public:
  virtual ~SmimeConfig() = default;
  /// Every setting by its camelCase name, plus "version".
  virtual boost::asio::awaitable<core::Result<boost::json::object>> get() = 0;
  /// Applies the changes all or nothing (validation_failed names each bad field); returns the
  /// settings as get() does.
  virtual boost::asio::awaitable<core::Result<boost::json::object>> patch(
      boost::json::object changes, std::string actor) = 0;
};

}  // namespace smimegw::http::admin
