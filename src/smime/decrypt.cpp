// smime: peel one enveloped-data / authEnveloped-data layer (RFC 8551 §3.3).
#include "smimegw/smime/decrypt.hpp"

#include "entity_util.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/errors.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::smime {

core::Result<cms::Decrypted> decrypt_der(std::span<const std::uint8_t> der,
                                         const std::vector<cms::DecryptKey>& keys,
                                         Botan::RandomNumberGenerator& rng,
                                         const cms::DecryptOptions& options) {
  if (keys.empty())
    return core::Error::make(std::string(errc::kNoDecryptionKey), "no decryption key given");
  std::optional<core::Error> first;
  for (const auto& key : keys) {
    auto r = cms::decrypt(der, key, rng, options);
    if (r) return r;
    // A key that matches a recipient decides the outcome; otherwise try the next one.
    if (r.error().code != cms::errc::kNoMatchingRecipient) return r.error();
    if (!first) first = r.error();
  }
  return *first;
}

core::Result<DecryptedMessage> decrypt(std::string_view message,
                                       const std::vector<cms::DecryptKey>& keys,
                                       Botan::RandomNumberGenerator& rng,
                                       const mime::Limits& limits) {
  auto msg = mime::parse(message, limits);
  if (!msg) return msg.error();
  if (classify(msg->root) != EntityKind::pkcs7_mime)
    return core::Error::make(std::string(errc::kNotEncrypted),
                             "the message is not application/pkcs7-mime");
  auto der = pkcs7_body(*msg, msg->root);
  if (!der) return der.error();
  auto ci = cms::parse_content_info(as_bytes(*der));
  if (!ci) return ci.error();
  if (ci->content_type != cms::oid::kEnvelopedData &&
      ci->content_type != cms::oid::kAuthEnvelopedData)
    return core::Error::make(std::string(errc::kNotEncrypted),
                             "the pkcs7-mime entity is not enveloped-data");
  auto d = decrypt_der(as_bytes(*der), keys, rng, {});
  if (!d) return d.error();
  std::string().swap(*der);
  // Peak memory: the caller's message, the plaintext and the result (25 MiB budget, bench).
  std::string inner = canonical_owned(std::string(as_view(d->content)));
  std::vector<std::uint8_t>().swap(d->content);
  DecryptedMessage out;
  out.message = mime::wrap_outer(outer_fields(*msg), inner);
  out.cipher = d->cipher;
  out.authenticated = d->authenticated;
  out.recipient_kind = d->recipient_kind;
  return out;
}

}  // namespace smimegw::smime
