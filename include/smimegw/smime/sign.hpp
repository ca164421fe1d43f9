// smime: clear-signing a whole message (RFC 8551 §3.5.3, multipart/signed only).
//
// Before signing, every leaf that is not 7-bit safe (8-bit text, binary, over-long lines) is
// transfer-encoded (quoted-printable for text, base64 otherwise) so relays cannot alter the
// signed bytes (RFC 8551 §3.1.2); a 7-bit entity is signed unchanged.
// Throughput: prepare() builds a cms::SigningContext once per key + certificate; the overloads
// taking a context reuse it (thread-safe). The Signer overloads prepare a context per call.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/algorithms.hpp"
#include "smimegw/cms/signing_context.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::smime {

struct Signer {
  Botan::X509_Certificate certificate;
  const Botan::Private_Key* key = nullptr;     ///< RSA, ECDSA or Ed25519; must outlive the call
  std::vector<Botan::X509_Certificate> chain;  ///< intermediates carried in the signature
  cms::DigestAlgorithm digest = cms::DigestAlgorithm::sha256;
  bool rsa_pss = false;
};

struct SignOptions {
  /// signingTime attribute (callers pass their Clock's now); absent when unset.
  std::optional<std::chrono::system_clock::time_point> signing_time;
};

/// RFC 8551 §3.5.3 micalg token for a digest ("sha-256").
std::string_view micalg_of(cms::DigestAlgorithm d);

/// A reusable, thread-safe signing context for `signer` (its key must outlive it).
/// Errors: invalid_argument (no key), key_mismatch (unsupported key type).
core::Result<std::shared_ptr<const cms::SigningContext>> prepare(const Signer& signer,
                                                                 std::size_t max_idle = 4);

/// Clear-signs a content entity (Content-* fields + CRLF + body, canonical CRLF): returns the
/// multipart/signed entity (its headers + body). Errors: the cms sign codes.
core::Result<std::string> sign_entity(std::string_view entity, const Signer& signer,
                                      const SignOptions& options,
                                      Botan::RandomNumberGenerator& rng);
core::Result<std::string> sign_entity(std::string_view entity, const cms::SigningContext& signer,
                                      const SignOptions& options);

/// Clear-signs a whole RFC 5322 message: the outer fields (From, To, Subject, Date, Message-ID,
/// ...) stay outside, the Content-* fields and body are signed. Output is canonical CRLF.
/// Errors: mime parse limits, cms sign codes.
core::Result<std::string> sign(std::string_view message, const Signer& signer,
                               const SignOptions& options, Botan::RandomNumberGenerator& rng);
core::Result<std::string> sign(std::string_view message, const cms::SigningContext& signer,
                               const SignOptions& options);

}  // namespace smimegw::smime
