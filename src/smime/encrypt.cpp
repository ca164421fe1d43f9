// smime: application/pkcs7-mime enveloped-data / authEnveloped-data (RFC 8551 §3.3) and
// sign-then-encrypt (§3.6).
#include "smimegw/smime/encrypt.hpp"

#include "entity_util.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/smime_entities.hpp"

namespace smimegw::smime {

namespace {

/// Encrypts `entity` and frees it as soon as the DER exists, so that the plaintext, the DER and
/// the base64 text are never all alive at once (25 MiB messages, 4× budget).
core::Result<std::string> encrypt_owned(std::string entity,
                                        const std::vector<Botan::X509_Certificate>& recipients,
                                        const EncryptOptions& options,
                                        Botan::RandomNumberGenerator& rng) {
  if (recipients.empty())
    return core::Error::make(std::string(errc::kInvalidArgument), "no recipients");
  if (options.cipher == cms::ContentCipher::des3_cbc)
    return core::Error::make(std::string(errc::kInvalidArgument), "3DES is decrypt-only");
  std::vector<cms::RecipientSpec> specs;
  specs.reserve(recipients.size());
  for (const auto& cert : recipients) {
    cms::RecipientSpec r{cert};
    if (options.rsa_oaep) r.rsa = cms::KeyTransport::rsa_oaep_sha256;
    specs.push_back(std::move(r));
  }
  cms::EncryptOptions eo;
  eo.cipher = options.cipher;
  auto der = cms::encrypt(as_bytes(entity), specs, eo, rng);
  std::string().swap(entity);
  if (!der) return der.error();
  const auto type = cms::is_aead(options.cipher) ? mime::SmimeType::AuthEnvelopedData
                                                 : mime::SmimeType::EnvelopedData;
  return mime::build_pkcs7_mime(as_view(*der), type);
}

}  // namespace

core::Result<std::string> encrypt_entity(std::string_view entity,
                                         const std::vector<Botan::X509_Certificate>& recipients,
                                         const EncryptOptions& options,
                                         Botan::RandomNumberGenerator& rng) {
  return encrypt_owned(std::string(entity), recipients, options, rng);
}

core::Result<std::string> encrypt(std::string_view message,
                                  const std::vector<Botan::X509_Certificate>& recipients,
                                  const EncryptOptions& options,
                                  Botan::RandomNumberGenerator& rng) {
  auto msg = mime::parse(message);
  if (!msg) return msg.error();
  mime::SplitMessage split = mime::split_outer(*msg);
  auto entity = encrypt_owned(std::move(split.content), recipients, options, rng);
  if (!entity) return entity.error();
  return mime::wrap_outer(split.outer, *entity);
}

core::Result<std::string> sign_and_encrypt(std::string_view message, const Signer& signer,
                                           const SignOptions& sign_options,
                                           const std::vector<Botan::X509_Certificate>& recipients,
                                           const EncryptOptions& options,
                                           Botan::RandomNumberGenerator& rng) {
  auto msg = mime::parse(message);
  if (!msg) return msg.error();
  mime::SplitMessage split = mime::split_outer(*msg);
  auto signed_entity = sign_entity(split.content, signer, sign_options, rng);
  if (!signed_entity) return signed_entity.error();
  std::string().swap(split.content);  // release the plaintext copy before encrypting (25 MiB)
  auto entity = encrypt_owned(std::move(*signed_entity), recipients, options, rng);
  if (!entity) return entity.error();
  return mime::wrap_outer(split.outer, *entity);
}

}  // namespace smimegw::smime
