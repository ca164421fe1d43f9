// http: storage interface the sync API's authenticator needs: the user a sync token belongs to,
// by id (api_tokens.user_id → users). Declared here, implemented by db
// (src/db/sync_user_store.cpp); includes only core and std. Failure semantics: db_unavailable
// (transient), db_error.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "smimegw/core/result.hpp"

namespace smimegw::http {

struct SyncUser {
  std::int64_t id = 0;
  std::string address;  ///< primary address, lower-case
  std::string display_name;
  bool enabled = true;
};

class SyncUserStore {
 public:
  virtual ~SyncUserStore() = default;
  /// The user with this id; nullopt when there is none.
  virtual boost::asio::awaitable<core::Result<std::optional<SyncUser>>> find_user(
      std::int64_t id) = 0;
};

}  // namespace smimegw::http
