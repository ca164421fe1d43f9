// http: who may call a route. Each route of the table names an AuthKind; the router asks the
// listener's Authenticator for every route that is not AuthKind::None and answers 401
// unauthorized (with WWW-Authenticate: Bearer) when it refuses, before the handler runs.
//
// Tokens (RFC 6750 bearer): "smgw_" + 43 base64url characters = 32 random bytes. Only their
// SHA-256 is kept, in the database (ApiTokenStore) or in memory for admin.tokens_file entries;
// presented tokens are hashed and compared in constant time.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/http/api_token_store.hpp"
#include "smimegw/http/message.hpp"

namespace smimegw::http {

enum class AuthKind { None, Admin, Sync };
std::string_view to_string(AuthKind k);

struct Principal {
  std::string name;  ///< token name ("file:NAME" for admin.tokens_file entries)
  std::optional<std::int64_t> token_id;
  std::optional<std::int64_t> user_id;  ///< sync tokens
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// The principal for `token` on a route of `kind`; Error unauthorized when refused (the message
  /// never says whether the token exists), or db_unavailable.
  virtual boost::asio::awaitable<core::Result<Principal>> authenticate(AuthKind kind,
                                                                       std::string token) = 0;
};

/// The token of "Authorization: Bearer TOKEN"; "" when the header is absent or another scheme.
std::string bearer_token(const Request& req);

/// A new random token (32 bytes from the system RNG).
std::string generate_token();
/// Hex SHA-256 of a token.
std::string token_hash(std::string_view token);
/// Compares without an early exit (equal lengths are compared in full).
bool constant_time_equal(std::string_view a, std::string_view b);

/// admin.tokens_file: one token per line, "TOKEN" or "NAME TOKEN"; blank lines and lines starting
/// with '#' are skipped. Tokens shorter than 20 characters are refused (Error tokens_file naming
/// the line, never the token). Returns (name, hash) pairs.
core::Result<std::vector<std::pair<std::string, std::string>>> load_tokens_file(
    const std::string& path);

/// Admin tokens from the database and from admin.tokens_file (given as name/hash pairs).
class TokenAuthenticator final : public Authenticator {
 public:
  TokenAuthenticator(ApiTokenStore* store, std::vector<std::pair<std::string, std::string>> file);
  boost::asio::awaitable<core::Result<Principal>> authenticate(AuthKind kind,
                                                               std::string token) override;

 private:
  ApiTokenStore* store_;
  std::vector<std::pair<std::string, std::string>> file_;
};

}  // namespace smimegw::http
