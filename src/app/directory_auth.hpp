// app: SMTP AUTH checked against users' Argon2id password hashes. The identity returned is the
// user's primary address, whatever address or case the client logged in with.
#pragma once

#include "smimegw/directory/user_store.hpp"
#include "smimegw/smtp/authenticator.hpp"

namespace smimegw::app {

class DirectoryAuthenticator final : public smtp::Authenticator {
 public:
  explicit DirectoryAuthenticator(directory::UserStore& users) : users_(users) {}
  boost::asio::awaitable<core::Result<std::string>> check(std::string user,
                                                          std::string password) override;

 private:
  directory::UserStore& users_;
};

}  // namespace smimegw::app
