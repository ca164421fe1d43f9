// smime (private): small helpers shared by the operations — byte views, classifying an entity
// as an S/MIME layer, and decoding a pkcs7 body.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/message.hpp"
#include "smimegw/smime/errors.hpp"

namespace smimegw::smime {

inline std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_view(std::span<const std::uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

enum class EntityKind { plain, multipart_signed, pkcs7_mime };

/// What the top-level entity of `msg` is, as far as S/MIME goes. application/pkcs7-mime,
/// application/x-pkcs7-mime and application/octet-stream named *.p7m count as pkcs7_mime.
EntityKind classify(const mime::Part& root);
/// The declared smime-type parameter, lower-cased ("" when absent).
std::string smime_type_of(const mime::Part& root);
/// The DER of a pkcs7 body: transfer-decoded strictly (bad_base64), PEM armour tolerated.
core::Result<std::string> pkcs7_body(const mime::Message& msg, const mime::Part& p);

/// The top-level fields that stay outside the S/MIME layer (everything but Content-* and
/// MIME-Version), verbatim; unlike mime::split_outer this copies no body bytes.
mime::HeaderBlock outer_fields(const mime::Message& m);
/// `entity` in canonical CRLF form, moved through when it already is (no copy).
std::string canonical_owned(std::string entity);

/// Tries each key on a DER EnvelopedData/AuthEnvelopedData: the first key that matches a
/// recipient decides; no_decryption_key without keys, no_matching_recipient when none matches.
core::Result<cms::Decrypted> decrypt_der(std::span<const std::uint8_t> der,
                                         const std::vector<cms::DecryptKey>& keys,
                                         Botan::RandomNumberGenerator& rng,
                                         const cms::DecryptOptions& options);

}  // namespace smimegw::smime
