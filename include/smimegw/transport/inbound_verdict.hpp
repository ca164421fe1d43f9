// transport: the pure part of inbound S/MIME processing (no I/O; keys and the trust hook are
// plain arguments, so it is unit-tested without a database). InboundProcessor (inbound.hpp)
// gathers the keys, runs this on a worker thread and seals the result.
//
// analyse(): when the top-level entity is enveloped/authEnveloped (legacy x-pkcs7-mime and
// *.p7m included) it is decrypted with the given keys (one layer: the stored message keeps any
// signature inside, so the reader can verify it again); then every signature layer is verified
// (smime::inspect with the trust hook and the From: address check). A message that cannot be
// decrypted is kept as received.
//
// The RFC 7281 result of each signer (docs/inbound.md):
//   pass       the signature verifies, the certificate is trusted for signing and carries the
//              From: address;
//   fail       the signature does not verify (bad_signature, digest_mismatch, weak_algorithm …),
//              or the certificate is not acceptable (untrusted_root, expired, revoked,
//              address_mismatch, wrong_key_usage …);
//   temperror  only revocation could not be decided (revocation_unknown and its crl_* reasons,
//              anchors_unavailable): a later check may pass;
//   permerror  the signature structure is broken (malformed, truncated, bad_multipart_signed,
//              signer_cert_missing, unsupported_algorithm …);
//   neutral    the message is encrypted and could not be opened, so no signature was reached;
//   none       the (decrypted) message is not signed.
// Authentication-Results (RFC 8601 §5): every incoming field whose authserv-id is ours is
// removed (it can only be forged), other fields are kept, ours goes on top.
#pragma once

#include <botan/rng.h>
#include <botan/x509cert.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/mime/limits.hpp"
#include "smimegw/smime/inspect.hpp"

namespace smimegw::transport {

enum class SmimeResult { none, pass, fail, neutral, temperror, permerror };
std::string_view to_string(SmimeResult r);

/// One signer of one signature layer.
struct SignerVerdict {
  SmimeResult result = SmimeResult::none;
  std::string identifier;           ///< the signer's address (the From: one when it matches)
  std::vector<std::string> errors;  ///< codes, in order ("" none for pass)
  std::optional<Botan::X509_Certificate> certificate;
  std::string layer;  ///< "clear-signed", "opaque-signed"
};

/// The structured status the mailbox keeps (mailbox_messages.smime, served by the sync API as
/// Graph's smime object; shape in docs/inbound.md).
struct InboundStatus {
  bool is_signed = false;
  /// valid | invalid | untrusted | unverified | unknown (encrypted, not opened) | none
  std::string signature_status = "none";
  std::string signer;  ///< the first signer's address
  struct Certificate {
    std::string subject, issuer, serial, not_after, thumbprint;
  };
  std::optional<Certificate> certificate;
  std::vector<std::string> errors;
  bool encrypted = false;       ///< arrived encrypted
  bool decrypted = false;       ///< and the gateway opened it
  std::string result = "none";  ///< the overall RFC 7281 result
};

struct AnalyseOptions {
  std::vector<cms::DecryptKey> keys;  ///< the owner's and the gateway's
  smime::ChainCheck chain_check;      ///< the trust hook (empty: signature math only)
  bool accept_sha1 = false;
  mime::Limits mime_limits;
};

struct Analysis {
  std::string message;  ///< decrypted when it could be, else as received (unedited)
  bool encrypted = false;
  bool decrypted = false;
  std::string decrypt_error;  ///< e.g. no_matching_recipient ("" when decrypted or plain)
  std::string cipher;         ///< "aes-256-cbc" … when decrypted
  std::vector<SignerVerdict> signers;
  InboundStatus status;
};

/// See the header comment. Never fails for a message the SMTP server accepted: parse failures
/// become permerror in the analysis.
Analysis analyse(std::string_view message, const AnalyseOptions& options,
                 Botan::RandomNumberGenerator& rng);

/// The value of our Authentication-Results field (after "Authentication-Results:"), e.g.
/// "mx.example; smime=pass header.smime-identifier=alice@example.com"; one resinfo per signer;
/// "smime=none" for an unsigned message; a reason="…" for every result but pass and none.
std::string authentication_results(std::string_view authserv_id, const Analysis& analysis);

/// The authserv-id of an Authentication-Results value (CFWS skipped, quoted-string unquoted);
/// "" when there is none.
std::string authserv_id_of(std::string_view value);

/// `message` with every Authentication-Results field carrying `authserv_id` (case-insensitive)
/// removed and `Authentication-Results: <value>` prepended; the body is kept byte for byte.
/// `removed` (optional) receives how many fields were removed.
core::Result<std::string> stamp_results(std::string_view message, std::string_view authserv_id,
                                        std::string_view value, std::size_t* removed = nullptr,
                                        const mime::Limits& limits = {});

/// The status as a JSON object.
std::string status_json(const InboundStatus& status);

}  // namespace smimegw::transport
