// smime: peeling one encryption layer off a whole message (RFC 8551 §3.3).
#pragma once

#include <botan/rng.h>

#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/mime/limits.hpp"

namespace smimegw::smime {

struct DecryptedMessage {
  std::string message;  ///< the inner entity under the original outer fields, canonical CRLF
  cms::ContentCipher cipher = cms::ContentCipher::aes256_cbc;
  bool authenticated = false;  ///< authEnveloped-data (GCM tag checked)
  std::string recipient_kind;  ///< "ktri-rsa-pkcs1v15", "ktri-rsa-oaep", "kari-ecdh", "kekri"
};

/// Decrypts a message whose top-level entity is application/pkcs7-mime (or the legacy
/// application/x-pkcs7-mime, or an octet-stream named *.p7m) enveloped-data/authEnveloped-data,
/// trying each key in turn. Errors: not_encrypted, bad_base64, wrong_smime_type, and the cms
/// decrypt codes (no_matching_recipient when no key fits, decrypt_failed, bad_tag, malformed, ...).
core::Result<DecryptedMessage> decrypt(std::string_view message,
                                       const std::vector<cms::DecryptKey>& keys,
                                       Botan::RandomNumberGenerator& rng,
                                       const mime::Limits& limits = {});

}  // namespace smimegw::smime
