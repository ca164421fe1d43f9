// cms (private): the public keys of certificates, decoded once per process.
//
// Why: decoding an RSA public key makes Botan 2 set up Montgomery parameters for the modulus (a
// constant-time division), which cost more than the RSA public operation itself; the gateway
// encrypts to the same recipients' and the gateway's certificates and verifies the same signers
// again and again (a profile of the outbound benchmark showed a fifth of the daemon's CPU there).
// Keys are looked up by the certificate's SubjectPublicKeyInfo, so equal bytes always give the
// same key. A Botan public key is immutable and safe to share between threads.
// Bounded: beyond kMaxKeys entries the cache starts again empty.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <memory>

namespace smimegw::cms::detail {

/// `cert`'s public key (shared, decoded once). Throws what Botan's decoding throws.
std::shared_ptr<const Botan::Public_Key> public_key_of(const Botan::X509_Certificate& cert);

}  // namespace smimegw::cms::detail
