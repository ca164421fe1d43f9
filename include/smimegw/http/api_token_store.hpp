// http: storage interface of API bearer tokens (table api_tokens, migration 0008). Declared here,
// implemented by db (src/db/api_token_store.cpp); includes only core and std.
//
// Only the SHA-256 of a token is stored (hex, 64 characters); the token itself is shown once when
// it is created and exists nowhere else. kind "admin" tokens authenticate /admin/v1; kind "sync"
// tokens (with user_id and expires_at) are the sync API's user tokens. An active token is one with
// revoked_at unset and expires_at unset or in the future; names are unique among active tokens of
// a kind. Error codes: db_unavailable (transient), db_error, db_duplicate (create: name in use),
// not_found (revoke: no active token of that name or id).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http {

struct ApiToken {
  using TimePoint = std::chrono::system_clock::time_point;
  std::int64_t id = 0;
  std::string name;
  std::string kind;  ///< "admin" | "sync"
  std::string hash;  ///< hex SHA-256 of the token
  std::optional<std::int64_t> user_id;
  TimePoint created_at;
  std::optional<TimePoint> last_used_at;
  std::optional<TimePoint> expires_at;
  std::optional<TimePoint> revoked_at;
};

class ApiTokenStore {
 public:
  virtual ~ApiTokenStore() = default;
  /// Stores a new token (id, created_at are assigned); db_duplicate if the name is taken.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> create(ApiToken token) = 0;
  /// Every token of `kind`, revoked ones included, oldest first.
  virtual boost::asio::awaitable<core::Result<std::vector<ApiToken>>> list(std::string kind) = 0;
  /// Revokes the active token named `name_or_id` (a name, or a decimal id).
  virtual boost::asio::awaitable<core::Result<ApiToken>> revoke(std::string kind,
                                                                std::string name_or_id) = 0;
  /// The active token with this hash, recording the use in last_used_at (at most once a minute).
  virtual boost::asio::awaitable<core::Result<std::optional<ApiToken>>> find_active(
      std::string kind, std::string hash) = 0;
};

}  // namespace smimegw::http
