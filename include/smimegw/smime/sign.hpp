// smime: clear-signing a whole message (RFC 8551 §3.5.3, multipart/signed only).
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/algorithms.hpp"
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

/// Clear-signs a content entity (Content-* fields + CRLF + body, canonical CRLF): returns the
/// multipart/signed entity (its headers + body). Errors: the cms sign codes.
core::Result<std::string> sign_entity(std::string_view entity, const Signer& signer,
                                      const SignOptions& options,
                                      Botan::RandomNumberGenerator& rng);

/// Clear-signs a whole RFC 5322 message: the outer fields (From, To, Subject, Date, Message-ID,
/// ...) stay outside, the Content-* fields and body are signed. Output is canonical CRLF.
/// Errors: mime parse limits, cms sign codes.
core::Result<std::string> sign(std::string_view message, const Signer& signer,
                               const SignOptions& options, Botan::RandomNumberGenerator& rng);

}  // namespace smimegw::smime
