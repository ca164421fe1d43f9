// cms (private): content encryption for EnvelopedData (CBC, RFC 3565/3370) and AuthEnvelopedData
// (GCM, RFC 5084). Works in place on one buffer so a large message is held about twice at most.
#pragma once

#include <botan/rng.h>
#include <botan/secmem.h>

#include <vector>

#include "ber.hpp"
#include "der.hpp"
#include "smimegw/cms/algorithms.hpp"

namespace smimegw::cms::detail {

struct Encrypted {
  std::vector<std::uint8_t> alg_id;  ///< encoded contentEncryptionAlgorithm
  std::vector<std::uint8_t> ciphertext;
  std::vector<std::uint8_t> tag;  ///< GCM only (16 bytes)
};

core::Result<Encrypted> encrypt_content(ContentCipher c,
                                        const Botan::secure_vector<std::uint8_t>& cek,
                                        std::span<const std::uint8_t> plaintext,
                                        Botan::RandomNumberGenerator& rng,
                                        std::span<const std::uint8_t> aad = {});

/// Decrypts `data` in place (its size shrinks to the plaintext). `aad` and `tag` for GCM.
core::Status decrypt_content(ContentCipher c, const ber::AlgId& alg,
                             const Botan::secure_vector<std::uint8_t>& cek,
                             std::vector<std::uint8_t>& data, std::span<const std::uint8_t> aad,
                             std::span<const std::uint8_t> tag);

}  // namespace smimegw::cms::detail
