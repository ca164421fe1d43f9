// smtp: the Authenticator interface the submission listener checks AUTH PLAIN / LOGIN against
// (RFC 4954). The implementation (users' Argon2id/bcrypt hashes) lives outside smtp; app wires it.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "smimegw/core/result.hpp"

namespace smimegw::smtp {

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// Checks a user name and password. Returns the authenticated identity (stored in
  /// Envelope::authenticated_user), or an Error: code "auth_failed" for bad credentials (535
  /// 5.7.8); a temporary Error (e.g. database down) is answered 454 4.7.0. Must not log the
  /// password.
  virtual boost::asio::awaitable<core::Result<std::string>> check(std::string user,
                                                                  std::string password) = 0;
};

}  // namespace smimegw::smtp
