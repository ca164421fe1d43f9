// smime: what inspect() found in a message, layer by layer (outermost first).
#pragma once

#include <botan/x509cert.h>

#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/error.hpp"

namespace smimegw::smime {

enum class LayerKind { clear_signed, opaque_signed, enveloped, auth_enveloped };
std::string_view to_string(LayerKind k);  ///< "clear-signed", "opaque-signed", "enveloped", ...

struct SignerReport {
  std::vector<std::string> addresses;  ///< e-mail addresses of the certificate (SAN + subject)
  std::string subject, issuer;         ///< RFC 4514-ish DN strings ("" when the cert is missing)
  std::string serial;                  ///< hex, upper-case
  std::string digest_algorithm;        ///< "SHA-256"
  std::string signature_algorithm;     ///< "RSA", "RSA-PSS", "ECDSA", "Ed25519"
  std::string signing_time;            ///< ISO 8601 UTC, "" when absent
  std::string status;                  ///< "ok" or the first error code
  std::vector<core::Error> errors;
  std::optional<Botan::X509_Certificate> certificate;
  bool valid() const { return status == "ok"; }
};

struct Layer {
  LayerKind kind = LayerKind::clear_signed;
  /// "ok"; signed layers: the first signer's failure code or a structural error code;
  /// encrypted layers: "not_decrypted" when no key was given, else the decrypt error code.
  std::string status = "ok";
  std::string smime_type;  ///< as declared by Content-Type (pkcs7-mime layers)
  std::string micalg;      ///< clear-signed: as declared
  std::string cipher;      ///< encrypted layers, when decrypted: "aes-256-cbc"
  std::string recipient_kind;
  std::vector<SignerReport> signers;
  std::vector<core::Error> errors;  ///< layer-level (structure) errors
  bool ok() const { return status == "ok"; }
};

struct Report {
  std::vector<Layer> layers;
  /// The innermost content entity re-wrapped under the outer fields (canonical CRLF): what the
  /// reader sees once every layer this call could open is peeled.
  std::string content;
  std::vector<core::Error> warnings;  ///< e.g. micalg_mismatch

  bool is_signed() const;     ///< at least one signed layer
  bool is_encrypted() const;  ///< at least one encrypted layer
  /// "good" (signed, every signed layer and signer ok), "bad" (signed, something failed),
  /// "none" (no signature layer was reached).
  std::string signature_status() const;
  /// The first failure code over all layers (signer errors included), "" when none.
  std::string first_error() const;
};

}  // namespace smimegw::smime
