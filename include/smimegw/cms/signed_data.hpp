// cms: SignedData create and verify (RFC 5652 §5, RFC 8551 §2, RFC 4056 PSS, RFC 5753 ECDSA,
// RFC 8419 Ed25519).
//
// verify() checks signature math, messageDigest and contentType only; chain trust, validity and
// revocation are the trust module's job, so every certificate carried in the message is returned.
// Per-signer failures are reported in SignerResult, not as a function error; the function fails
// only when the message itself cannot be read (malformed, truncated, limit_exceeded,
// unsupported_content_type, missing_content).
// Signer error codes: bad_signature, digest_mismatch, content_type_mismatch, weak_algorithm
// (SHA-1, unless VerifyOptions::accept_sha1), unsupported_algorithm, signer_cert_missing,
// malformed.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/cms/algorithms.hpp"
#include "smimegw/cms/certificate_id.hpp"
#include "smimegw/cms/limits.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::cms {

struct SignerSpec {
  Botan::X509_Certificate certificate;
  const Botan::Private_Key* key = nullptr;           ///< RSA, ECDSA or Ed25519; must outlive sign()
  DigestAlgorithm digest = DigestAlgorithm::sha256;  ///< ignored for Ed25519 (always SHA-512)
  bool rsa_pss = false;  ///< RSASSA-PSS, salt = hash length, MGF1 same hash
  SignerIdKind sid = SignerIdKind::issuer_serial;
  std::vector<Botan::X509_Certificate> chain;  ///< intermediates to include
};

struct SignOptions {
  bool detached = true;
  std::string content_type = "1.2.840.113549.1.7.1";  ///< eContentType (id-data)
  /// signingTime attribute; absent when not set (callers pass Clock::now()).
  std::optional<std::chrono::system_clock::time_point> signing_time;
  bool include_certificates = true;
  bool smime_capabilities = true;
};

/// DER ContentInfo(SignedData). Errors: invalid_argument, key_mismatch, unsupported_algorithm.
core::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> content,
                                             const std::vector<SignerSpec>& signers,
                                             const SignOptions& options,
                                             Botan::RandomNumberGenerator& rng);

struct SignerId {
  std::vector<std::uint8_t> issuer_der;      ///< raw Name (issuer+serial form)
  std::vector<std::uint8_t> serial;          ///< big-endian magnitude, no leading zeros
  std::vector<std::uint8_t> subject_key_id;  ///< SKI form
  bool is_ski() const { return !subject_key_id.empty(); }
};

struct SignerResult {
  bool valid = false;
  std::string status;  ///< "ok" or the first error code
  std::vector<core::Error> errors;
  SignerId sid;
  std::string digest_algorithm;     ///< "SHA-256" (or the OID when unknown)
  std::string signature_algorithm;  ///< "RSA", "RSA-PSS", "ECDSA", "Ed25519" (or the OID)
  std::optional<std::chrono::system_clock::time_point> signing_time;
  std::optional<Botan::X509_Certificate> certificate;
};

struct VerifyOptions {
  bool accept_sha1 = false;
  /// Looked up when the message does not carry the signer's certificate (e.g. `-nocerts`
  /// senders): certificates the caller already knows. Not returned in VerifyResult::certificates.
  std::vector<Botan::X509_Certificate> extra_certificates;
  Limits limits;
};

struct VerifyResult {
  std::string content_type;                           ///< eContentType
  std::optional<std::vector<std::uint8_t>> content;   ///< encapsulated content, if any
  bool detached = false;                              ///< verified against caller-supplied content
  std::vector<Botan::X509_Certificate> certificates;  ///< every certificate Botan could load
  /// DER of every certificate in the message, loadable or not (e.g. notAfter 9999 ones).
  std::vector<std::vector<std::uint8_t>> certificates_der;
  std::vector<SignerResult> signers;
  bool all_valid() const;  ///< at least one signer and every signer valid
};

/// Verifies a DER/BER ContentInfo(SignedData). When `detached_content` is given it is what the
/// signatures are checked against, even if the message also carries an eContent (a clear-signed
/// part is what the reader sees); otherwise the eContent is used; without either: missing_content.
core::Result<VerifyResult> verify(std::span<const std::uint8_t> cms,
                                  std::optional<std::span<const std::uint8_t>> detached_content,
                                  const VerifyOptions& options = {});

/// True when `cert` is the one `sid` names.
bool matches(const SignerId& sid, const Botan::X509_Certificate& cert);
bool matches(const SignerId& sid, const CertificateId& cert);

}  // namespace smimegw::cms
