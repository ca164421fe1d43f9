// trust: the value types of certificate validation — what is asked (ValidationRequest) and what is
// answered (ValidationResult). The service that answers is trust::Validator (validator.hpp).
//
// Error codes (Finding::code), each a reason the certificate is unusable:
//   untrusted_root        the chain ends at a self-signed certificate that is not an enabled anchor
//   chain_incomplete      no issuer found (message, stored intermediates, fetched cache, AIA)
//   expired / not_yet_valid   a certificate of the chain outside its validity at the given time
//   bad_signature         a certificate's signature does not verify with its issuer's key
//   weak_algorithm        SHA-1/MD5 signature or issuer key below 110-bit strength
//   invalid_ca            an issuer without basicConstraints cA / keyCertSign
//   path_length           a pathLenConstraint exceeded
//   name_constraints      a name outside an issuer's name constraints
//   unknown_critical_extension, malformed_certificate
//   revoked               listed on a valid, in-scope CRL of its issuer
//   revocation_unknown    (mode require) no usable CRL for a certificate of the chain; the finding
//                         before it names why: crl_unavailable, crl_expired, crl_not_yet_valid,
//                         crl_bad_signature, crl_issuer_not_allowed,
//                         crl_unhandled_critical_extension, delta_crl_unsupported,
//                         crl_scope_unsupported
//   address_mismatch      the requested address (or proxy address) is not in the certificate
//   wrong_key_usage       keyUsage lacks what the operation needs
//   wrong_eku             extendedKeyUsage present without emailProtection / anyExtendedKeyUsage
//   path_too_deep         more than ValidatorOptions::max_path_depth certificates
// Warnings: expiring_soon, and in mode prefer every revocation finding above.
#pragma once

#include <botan/x509cert.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smimegw::trust {

/// What the certificate is about to be used for (RFC 8550 §4.4).
enum class Operation {
  verify_signature,  ///< a signature we received: digitalSignature|nonRepudiation, emailProtection
  sign_with,         ///< our own signing certificate: same rules as verify_signature
  encrypt_to,        ///< a recipient's certificate: keyEncipherment (RSA) / keyAgreement (EC)
  any,               ///< path validation only, no S/MIME usage rules
};

enum class RevocationMode {
  require,  ///< no usable CRL ⇒ revocation_unknown, invalid (fail closed; the default)
  prefer,   ///< revocation problems are warnings; a listed certificate is still revoked
  off,      ///< no revocation checks
};

std::string_view to_string(Operation op);
std::string_view to_string(RevocationMode mode);
/// "verify-signature", "encrypt-to", "sign-with", "any" (also "sign", "encrypt").
std::optional<Operation> parse_operation(std::string_view s);
std::optional<RevocationMode> parse_revocation_mode(std::string_view s);

struct ValidationRequest {
  Botan::X509_Certificate certificate;                      ///< the leaf
  std::vector<Botan::X509_Certificate> extra_certificates;  ///< e.g. those carried in the message
  std::chrono::system_clock::time_point at;                 ///< validation time
  Operation operation = Operation::any;
  std::optional<std::string> address;        ///< primary address to match (none: no address check)
  std::vector<std::string> proxy_addresses;  ///< further addresses of the same user
  RevocationMode revocation = RevocationMode::require;
};

struct Finding {
  std::string code;       ///< see the table above
  std::string message;    ///< safe to show
  std::size_t depth = 0;  ///< position in the chain, 0 = leaf
};

struct ValidationResult {
  bool valid = false;
  std::vector<Finding> errors;
  std::vector<Finding> warnings;
  std::vector<std::string> chain;  ///< subject DNs, leaf first, anchor last (empty: no path)
  /// Which revocation answer decided, per checked certificate (leaf first), e.g.
  /// "crl issuer=… this_update=2010-… source=http://…".
  std::vector<std::string> revocation_sources;
  std::vector<std::string> emails;  ///< addresses found in the leaf
  bool from_cache = false;

  std::string_view status() const { return valid ? "valid" : "invalid"; }
  bool has_error(std::string_view code) const;
  bool has_warning(std::string_view code) const;
  /// Codes of the errors, in order, without repeats.
  std::vector<std::string> error_codes() const;
};

}  // namespace smimegw::trust
