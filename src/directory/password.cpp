#include "smimegw/directory/password.hpp"

#include <botan/argon2.h>
#include <botan/system_rng.h>

namespace smimegw::directory {

namespace {
// 64 MiB, 3 passes, 1 lane: ~0.1 s here; argon2 family 2 = Argon2id.
constexpr size_t kMemoryKiB = 65536, kPasses = 3, kLanes = 1, kSaltLen = 16, kOutLen = 32;
constexpr uint8_t kArgon2id = 2;
}  // namespace

std::string hash_password(std::string_view password) {
  return Botan::argon2_generate_pwhash(password.data(), password.size(), Botan::system_rng(),
                                       kLanes, kMemoryKiB, kPasses, kArgon2id, kSaltLen, kOutLen);
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  if (stored_hash.empty()) return false;
  try {
    return Botan::argon2_check_pwhash(password.data(), password.size(), stored_hash);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace smimegw::directory
