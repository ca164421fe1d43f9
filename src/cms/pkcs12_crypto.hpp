// cms/pkcs12 (private): RFC 7292 appendix B key derivation, the password-based encryption schemes
// PKCS#12 files use (PBES2 and the PKCS#12 3DES PBEs), and the MAC. Throws pkcs12_detail::Failure.
#pragma once

#include <botan/rng.h>
#include <botan/secmem.h>

#include "pkcs12_ber.hpp"
#include "smimegw/cms/pkcs12.hpp"

namespace smimegw::cms::pkcs12_detail {

/// Key material and decrypted plaintext: zeroed when freed.
using SecureBytes = Botan::secure_vector<std::uint8_t>;

/// Counts key-derivation iterations against Pkcs12Limits::max_total_iterations.
class WorkBudget {
 public:
  explicit WorkBudget(std::uint64_t max) : max_(max) {}
  void spend(std::uint64_t iterations) {
    used_ += iterations;
    if (used_ > max_)
      fail(kLimitExceeded,
           "key derivation work exceeds the limit of " + std::to_string(max_) + " iterations");
  }

 private:
  std::uint64_t used_ = 0;
  std::uint64_t max_;
};

/// The password in the two forms PKCS#12 needs.
struct Password {
  std::string utf8;  ///< PBKDF2 (PBES2) input
  Bytes bmp;         ///< appendix B input: UTF-16BE + 00 00, or empty for an absent password
};
/// The forms to try, in OpenSSL's order: an empty password is first absent, then "".
std::vector<Password> password_variants(std::string_view utf8);

/// RFC 7292 appendix B.2: n bytes of key material for diversifier id (1 key, 2 IV, 3 MAC).
SecureBytes pkcs12_kdf(std::string_view botan_hash, std::uint8_t id, ByteView password_bmp,
                       ByteView salt, std::uint64_t iterations, std::size_t n);

/// Decrypts with the AlgorithmIdentifier `alg_id` (a SEQUENCE element). Bad padding throws
/// kDecryptFailed; RC2/RC4/unknown OIDs throw kUnsupported; iteration counts over the limit throw
/// kLimitExceeded.
SecureBytes pbe_decrypt(const Tlv& alg_id, ByteView ciphertext, const Password& pw,
                        const Pkcs12Limits& limits, WorkBudget& budget);

/// PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC. Returns the ciphertext; `alg_id` gets the DER
/// AlgorithmIdentifier.
Bytes pbes2_encrypt(ByteView plaintext, std::string_view password, std::uint32_t iterations,
                    Botan::RandomNumberGenerator& rng, Bytes& alg_id);

struct MacData {
  std::string hash;  ///< Botan name, e.g. "SHA-256"
  Bytes digest;
  Bytes salt;
  std::uint64_t iterations = 1;
};
MacData parse_mac_data(const Tlv& mac_data, const Pkcs12Limits& limits);
Bytes compute_mac(const MacData& params, ByteView password_bmp, ByteView auth_safe);
/// Constant-time comparison of the MAC over auth_safe with params.digest.
bool mac_matches(const MacData& params, ByteView password_bmp, ByteView auth_safe);

}  // namespace smimegw::cms::pkcs12_detail
