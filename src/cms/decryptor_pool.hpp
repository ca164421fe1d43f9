// cms (private): RSA key-transport decryption with prepared PK_Decryptors, reused across messages.
//
// Why: Botan 2 sets up a fresh blinding pair (a modular inversion) whenever a PK_Decryptor is
// built for an RSA private key, which costs more than the decryption itself; a gateway decrypting
// every inbound message for the same few keys paid it per message. The pool keeps, per public key
// and padding scheme, a few PK_Decryptors, each with its own RNG (Botan's blinder re-randomises
// from it), used by one thread at a time. Entries are keyed by the public key's encoding, so a key
// object freed and another loaded at the same address never meet a stale entry; the operations
// hold Botan's shared key data, so an entry outlives the key object it was made from.
// Bounded: at most kMaxKeys keys (the pool is emptied beyond), kMaxIdle decryptors per key.
#pragma once

#include <botan/pk_keys.h>
#include <botan/secmem.h>

#include <cstdint>
#include <string>

namespace smimegw::cms::detail {

/// PK_Decryptor_EME(key, eme).decrypt_or_random(ek, cek_len) with a pooled decryptor. Throws what
/// Botan throws (Invalid_Argument for a ciphertext the key cannot take).
Botan::secure_vector<std::uint8_t> pooled_decrypt_or_random(const Botan::Private_Key& key,
                                                            const std::string& eme,
                                                            const std::uint8_t* ek, std::size_t len,
                                                            std::size_t cek_len);

}  // namespace smimegw::cms::detail
