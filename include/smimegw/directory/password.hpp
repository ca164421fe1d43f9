// directory: password hashing for users (SMTP AUTH, sync API token grant). Argon2id (RFC 9106),
// PHC string format, parameters chosen for an interactive login on a small server.
#pragma once

#include <string>
#include <string_view>

namespace smimegw::directory {

/// A PHC-format Argon2id hash of `password` with a fresh random salt.
std::string hash_password(std::string_view password);

/// Constant-time check of `password` against a stored hash; false for empty or malformed hashes.
bool verify_password(std::string_view password, const std::string& stored_hash);

}  // namespace smimegw::directory
