// http: storage interface of the admin API's reads and changes that no other store offers
// (tables user_certificates, groups, api_tokens): the expiring-certificate report, deleting a
// group, and a user's sync tokens (list, revoke). Declared here, implemented by db
// (src/db/admin_store.cpp); includes only core and std. Error codes: db_unavailable (transient),
// db_error, group_not_found, not_found (no active sync token with that id for the user).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http {

/// An enabled user certificate whose notAfter falls within the asked window.
struct ExpiringCertificate {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string address;     ///< the owner's primary address
  std::string thumbprint;  ///< SHA-1, upper-case hex
  std::string usage;       ///< sign | encrypt | both
  std::string source;
  bool has_private_key = false;
  std::chrono::system_clock::time_point not_after;
};

/// A sync API token of a user (never the token or its hash).
struct SyncTokenView {
  std::int64_t id = 0;
  std::chrono::system_clock::time_point created_at;
  std::optional<std::chrono::system_clock::time_point> expires_at;
  std::optional<std::chrono::system_clock::time_point> last_used_at;
};

class AdminStore {
 public:
  virtual ~AdminStore() = default;
  /// Enabled certificates with now <= notAfter < now + `days`, soonest first, `limit` rows from
  /// `offset`.
  virtual boost::asio::awaitable<core::Result<std::vector<ExpiringCertificate>>>
  expiring_certificates(int days, int limit, int offset) = 0;
  /// Deletes the group owning `address` and its membership rows (also where it is a member);
  /// group_not_found when there is none.
  virtual boost::asio::awaitable<core::Status> delete_group(std::string address) = 0;
  /// The user's active sync tokens (not revoked, not expired), oldest first.
  virtual boost::asio::awaitable<core::Result<std::vector<SyncTokenView>>> sync_tokens(
      std::int64_t user_id) = 0;
  /// Revokes the user's active sync tokens (all, or only `token_id`); returns how many.
  /// not_found when `token_id` names no active token of the user.
  virtual boost::asio::awaitable<core::Result<int>> revoke_sync_tokens(
      std::int64_t user_id, std::optional<std::int64_t> token_id) = 0;
};

}  // namespace smimegw::http
