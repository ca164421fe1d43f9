// cms (private): content encryption for EnvelopedData (CBC, RFC 3565/3370) and AuthEnvelopedData
// (GCM, RFC 5084). Works in place: encryption runs inside the final DER buffer, decryption inside
// the ciphertext copy, so a large message is never held more than once more than the caller has.
#pragma once

#include <botan/cipher_mode.h>
#include <botan/rng.h>
#include <botan/secmem.h>

#include <memory>
#include <vector>

#include "ber.hpp"
#include "der.hpp"
#include "smimegw/cms/algorithms.hpp"

namespace smimegw::cms::detail {

/// A started content encryption: key set, random IV/nonce chosen, AAD bound.
class ContentEncryption {
 public:
  /// Errors: unsupported_algorithm (3DES is decrypt-only).
  static core::Result<ContentEncryption> start(ContentCipher c,
                                               const Botan::secure_vector<std::uint8_t>& cek,
                                               Botan::RandomNumberGenerator& rng,
                                               std::span<const std::uint8_t> aad = {});
  ContentEncryption(ContentEncryption&&) noexcept;
  ~ContentEncryption();

  /// Encoded contentEncryptionAlgorithm (with the IV / GCMParameters).
  const std::vector<std::uint8_t>& algorithm_der() const { return alg_id_; }
  /// Ciphertext length for `n` plaintext bytes (CBC: PKCS#7 padded; GCM: n, tag separate).
  std::size_t ciphertext_size(std::size_t n) const;
  std::size_t tag_size() const;  ///< 16 for GCM, 0 for CBC
  /// Encrypts in place: `buf` holds the plaintext in its first `n` bytes and is
  /// ciphertext_size(n) long. `tag` (tag_size() bytes) receives the GCM tag.
  void run(std::span<std::uint8_t> buf, std::size_t n, std::span<std::uint8_t> tag);

 private:
  ContentEncryption() = default;
  bool gcm_ = false;
  std::unique_ptr<Botan::Cipher_Mode> mode_;
  std::vector<std::uint8_t> alg_id_;
};

/// Decrypts `data` in place (its size shrinks to the plaintext). `aad` and `tag` for GCM.
core::Status decrypt_content(ContentCipher c, const ber::AlgId& alg,
                             const Botan::secure_vector<std::uint8_t>& cek,
                             std::vector<std::uint8_t>& data, std::span<const std::uint8_t> aad,
                             std::span<const std::uint8_t> tag);

}  // namespace smimegw::cms::detail
