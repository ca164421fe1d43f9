#include "directory_auth.hpp"

#include "smimegw/core/address.hpp"
#include "smimegw/directory/password.hpp"

namespace smimegw::app {

boost::asio::awaitable<core::Result<std::string>> DirectoryAuthenticator::check(
    std::string user, std::string password) {
  auto found = co_await users_.find_by_address(core::ascii_lower(user));
  if (!found) co_return core::Error::transient("db_unavailable", "directory unavailable");
  // Hash even when the user is unknown so the answer takes as long either way.
  static const std::string dummy = directory::hash_password("timing-equaliser");
  const auto& hash = (*found && (*found)->enabled) ? (*found)->password_hash : dummy;
  bool ok = directory::verify_password(password, hash) && *found && (*found)->enabled;
  if (!ok) co_return core::Error::make("auth_failed", "authentication failed");
  co_return (*found)->address;
}

}  // namespace smimegw::app
