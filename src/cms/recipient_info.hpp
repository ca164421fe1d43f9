// cms (private): RecipientInfo creation and CEK recovery: KeyTransRecipientInfo (RSA PKCS#1 v1.5
// and OAEP, RFC 3560), KeyAgreeRecipientInfo (ECDH ephemeral-static, RFC 5753) and
// KEKRecipientInfo (AES key wrap under a shared key, RFC 5652 §6.2.3).
#pragma once

#include <botan/rng.h>
#include <botan/secmem.h>

#include <optional>

#include "ber.hpp"
#include "der.hpp"
#include "smimegw/cms/enveloped_data.hpp"

namespace smimegw::cms::detail {

using Cek = Botan::secure_vector<std::uint8_t>;

/// KEK length of an AES key wrap algorithm (RFC 3565 id-aes128/192/256-wrap); 0 for any other.
inline std::size_t aes_wrap_len(std::string_view wrap_oid) {
  if (wrap_oid == oid::kAes128Wrap) return 16;
  if (wrap_oid == oid::kAes192Wrap) return 24;
  if (wrap_oid == oid::kAes256Wrap) return 32;
  return 0;
}

core::Result<der::Node> make_ktri(const RecipientSpec& r, const Cek& cek,
                                  Botan::RandomNumberGenerator& rng);
core::Result<der::Node> make_kari(const RecipientSpec& r, const Cek& cek,
                                  Botan::RandomNumberGenerator& rng);

/// [2] KEKRecipientInfo (version 4) for a symmetric key. Errors: invalid_argument (KEK length).
core::Result<der::Node> make_kekri(const KekRecipient& r, const Cek& cek);

/// CEK from a ktri/kari if it names `key.certificate`; nullopt when it names someone else.
/// RSA PKCS#1 v1.5 never fails here on bad padding: a random CEK of `cek_len` comes back instead.
core::Result<std::optional<Cek>> try_ktri(const ber::Tlv& ri, const DecryptKey& key,
                                          std::size_t cek_len, Botan::RandomNumberGenerator& rng,
                                          std::string& kind);
core::Result<std::optional<Cek>> try_kari(const ber::Tlv& ri, const DecryptKey& key,
                                          Botan::RandomNumberGenerator& rng, std::string& kind);
/// CEK from a kekri whose keyIdentifier is `key.kek_id`; nullopt for another key. A KEK that does
/// not unwrap (RFC 3394 integrity check) is decrypt_failed.
core::Result<std::optional<Cek>> try_kekri(const ber::Tlv& ri, const DecryptKey& key,
                                           std::string& kind);

}  // namespace smimegw::cms::detail
