// cms: the one place certificates are loaded from DER, with a workaround for Botan 2.19.
//
// RFC 5280 §4.1.2.5 gives certificates with "no well-defined expiration date" the notAfter
// GeneralizedTime 99991231235959Z. Botan 2.19 refuses any year after 3100 (and its time_point
// conversion any year from 2400), so such certificates (the corpus' Fran, some enterprise CAs)
// would be unusable: unparsable in a PKCS#12, signer_cert_missing in a signature.
// load_certificate() retries such a certificate with that one GeneralizedTime rewritten to
// kNoExpiryStandIn (23991231235959Z, same length, so every other byte and length stays put) and
// marks it `no_expiry`. The rewritten TBS no longer matches the issuer's signature, so Botan's
// own check_signature()/path validation fail on it (fail-closed, never a false accept);
// issuer_signature_valid() checks the issuer's signature over the ORIGINAL bytes instead.
// Failure semantics: malformed when Botan cannot load the DER even with the stand-in.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::cms {

/// What Botan sees instead of 99991231235959Z (the latest time Botan 2.19 converts).
inline constexpr std::string_view kNoExpiryStandIn = "23991231235959Z";

struct LoadedCertificate {
  Botan::X509_Certificate certificate;  ///< as Botan reads it (notAfter 2399 when no_expiry)
  std::vector<std::uint8_t> der;        ///< the original encoding, byte for byte
  bool no_expiry = false;               ///< notAfter was 99991231235959Z (RFC 5280)
};

/// Loads a DER certificate (see the header comment). Errors: malformed.
core::Result<LoadedCertificate> load_certificate(std::span<const std::uint8_t> der);

/// The certificate `der` decodes to (through load_certificate, so no-expiry ones load too),
/// decoded once per process: a bounded memo for callers that meet the same certificates again and
/// again (plans, key rings); Botan certificates are immutable shared handles. Throws
/// std::invalid_argument when the DER does not load.
Botan::X509_Certificate decoded_certificate(std::span<const std::uint8_t> der);

/// The encoding the certificate had before load_certificate() wrote the stand-in: its DER with
/// notAfter `23991231235959Z` turned back into `99991231235959Z`; nullopt for any other
/// certificate. Only a signature check (issuer_signature_valid) tells whether that encoding is the
/// one its issuer signed; a thumbprint must be taken over it.
std::optional<std::vector<std::uint8_t>> no_expiry_original(const Botan::X509_Certificate& cert);

/// True when `issuer_key` verifies the signature of the certificate `cert_der` over its original
/// TBSCertificate bytes (RSA PKCS#1 v1.5 / PSS, ECDSA, Ed25519: whatever Botan verifies).
/// Use this, not Botan's X509_Certificate::check_signature, for no_expiry certificates.
bool issuer_signature_valid(std::span<const std::uint8_t> cert_der,
                            const Botan::Public_Key& issuer_key);

}  // namespace smimegw::cms
