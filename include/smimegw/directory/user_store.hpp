// directory: storage interface for users and their addresses (tables users, user_addresses).
// Implemented by db (src/db/user_store.cpp); includes only core. The directory issue extends it
// (groups, certificates, key vault).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::directory {

struct User {
  std::int64_t id = 0;
  std::string address;  ///< primary SMTP address, lower-case
  std::string display_name;
  std::string password_hash;  ///< Argon2id PHC string; never leaves the process
  bool enabled = true;
  std::vector<std::string> proxy_addresses;  ///< lower-case
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  /// The user owning `address` as primary or proxy address (lower-cased by the caller).
  virtual boost::asio::awaitable<core::Result<std::optional<User>>> find_by_address(
      std::string address) = 0;
  /// Creates a user; `db_duplicate` if the address (or a proxy) is taken.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> create(User user) = 0;
  /// Every user (with proxy addresses, without password hashes), ordered by address.
  virtual boost::asio::awaitable<core::Result<std::vector<User>>> list() = 0;
  /// At most `limit` users from position `skip` of list()'s order: one page of the admin API,
  /// read without loading the whole directory.
  virtual boost::asio::awaitable<core::Result<std::vector<User>>> list_page(std::int64_t skip,
                                                                            std::int64_t limit) = 0;
  /// The user with this id (with proxy addresses, without password hash); nullopt when none.
  virtual boost::asio::awaitable<core::Result<std::optional<User>>> find_by_id(std::int64_t id) = 0;
  /// Enables or disables the user owning `address`; not_found when there is none.
  virtual boost::asio::awaitable<core::Status> set_enabled(std::string address, bool enabled) = 0;
};

}  // namespace smimegw::directory
