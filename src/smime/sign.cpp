// smime: clear-signing (RFC 8551 §3.5.3). The content entity is signed exactly as it is inserted
// into the multipart/signed, so what the receiver hashes is byte-identical to what we hashed.
#include "smimegw/smime/sign.hpp"

#include "entity_util.hpp"
#include "smimegw/cms/signed_data.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
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

core::Result<std::string> sign_entity(std::string_view entity, const Signer& signer,
                                      const SignOptions& options,
                                      Botan::RandomNumberGenerator& rng) {
  if (signer.key == nullptr)
    return core::Error::make(std::string(errc::kInvalidArgument), "no signing key");
  cms::SignerSpec spec{signer.certificate,
                       signer.key,
                       signer.digest,
                       signer.rsa_pss,
                       cms::SignerIdKind::issuer_serial,
                       signer.chain};
  cms::SignOptions so;
  so.detached = true;
  so.signing_time = options.signing_time;
  const auto bytes = as_bytes(entity);
  auto der = cms::sign(bytes, {spec}, so, rng);
  if (!der) return der.error();
  const bool ed25519 = signer.key->algo_name() == "Ed25519";
  const auto micalg = micalg_of(ed25519 ? cms::DigestAlgorithm::sha512 : signer.digest);
  return mime::build_multipart_signed(entity, as_view(*der), micalg);
}

core::Result<std::string> sign(std::string_view message, const Signer& signer,
                               const SignOptions& options, Botan::RandomNumberGenerator& rng) {
  auto msg = mime::parse(message);
  if (!msg) return msg.error();
  mime::SplitMessage split = mime::split_outer(*msg);
  auto entity = sign_entity(split.content, signer, options, rng);
  std::string().swap(split.content);  // the signed copy is inside *entity now (25 MiB budget)
  if (!entity) return entity.error();
  return mime::wrap_outer(split.outer, *entity);
}

}  // namespace smimegw::smime
