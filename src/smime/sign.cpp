// smime: clear-signing (RFC 8551 §3.5.3). The content entity is made 7-bit (§3.1.2) and then
// signed exactly as it is inserted into the multipart/signed, so what the receiver hashes is
// byte-identical to what we hashed.
#include "smimegw/smime/sign.hpp"

#include "entity_util.hpp"
#include "signing.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/seven_bit.hpp"
#include "smimegw/mime/smime_entities.hpp"

namespace smimegw::smime {

std::string_view micalg_of(cms::DigestAlgorithm d) {
  switch (d) {
    case cms::DigestAlgorithm::sha1:
      return "sha-1";
    case cms::DigestAlgorithm::sha224:
      return "sha-224";
    case cms::DigestAlgorithm::sha256:
      return "sha-256";
    case cms::DigestAlgorithm::sha384:
      return "sha-384";
    case cms::DigestAlgorithm::sha512:
      return "sha-512";
  }
  return "sha-256";
}

core::Result<std::shared_ptr<const cms::SigningContext>> prepare(const Signer& signer,
                                                                 std::size_t max_idle) {
  if (signer.key == nullptr)
    return core::Error::make(std::string(errc::kInvalidArgument), "no signing key");
  return cms::SigningContext::create({signer.certificate, signer.key, signer.digest, signer.rsa_pss,
                                      cms::SignerIdKind::issuer_serial, signer.chain},
                                     max_idle);
}

namespace detail {

core::Result<std::string> sign_7bit_entity(std::string_view entity,
                                           const cms::SigningContext& signer,
                                           const SignOptions& options) {
  cms::SignOptions so;
  so.detached = true;
  so.signing_time = options.signing_time;
  auto der = signer.sign(as_bytes(entity), so);
  if (!der) return der.error();
  return mime::build_multipart_signed(entity, as_view(*der), micalg_of(signer.digest()));
}

core::Result<mime::SplitMessage> split_7bit(std::string_view message) {
  auto msg = mime::parse(message);
  if (!msg) return msg.error();
  if (mime::is_7bit(*msg)) return mime::split_outer(*msg);
  // Only the leaves change; the outer fields come out of the re-parse as they went in.
  const std::string converted = mime::to_7bit(*msg).entity;
  auto again = mime::parse(converted);
  if (!again) return again.error();
  return mime::split_outer(*again);
}

}  // namespace detail

core::Result<std::string> sign_entity(std::string_view entity, const cms::SigningContext& signer,
                                      const SignOptions& options) {
  auto msg = mime::parse(entity);
  if (!msg) return msg.error();
  if (mime::is_7bit(*msg)) return detail::sign_7bit_entity(entity, signer, options);
  const std::string converted = mime::to_7bit(*msg).entity;
  return detail::sign_7bit_entity(converted, signer, options);
}

core::Result<std::string> sign_entity(std::string_view entity, const Signer& signer,
                                      const SignOptions& options,
                                      Botan::RandomNumberGenerator& /*rng*/) {
  auto ctx = prepare(signer, 1);
  if (!ctx) return ctx.error();
  return sign_entity(entity, **ctx, options);
}

core::Result<std::string> sign(std::string_view message, const cms::SigningContext& signer,
                               const SignOptions& options) {
  auto split = detail::split_7bit(message);
  if (!split) return split.error();
  auto entity = detail::sign_7bit_entity(split->content, signer, options);
  std::string().swap(split->content);  // the signed copy is inside *entity now (25 MiB budget)
  if (!entity) return entity.error();
  return mime::wrap_outer(split->outer, *entity);
}

core::Result<std::string> sign(std::string_view message, const Signer& signer,
                               const SignOptions& options, Botan::RandomNumberGenerator& /*rng*/) {
  auto ctx = prepare(signer, 1);
  if (!ctx) return ctx.error();
  return sign(message, **ctx, options);
}

}  // namespace smimegw::smime
