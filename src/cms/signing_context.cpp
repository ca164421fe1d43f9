// cms: SigningContext — SignerInfo creation with a pool of prepared PK_Signers
// (signing_context.hpp). The SignedData around the SignerInfos is built in signed_data_sign.cpp.
#include "smimegw/cms/signing_context.hpp"

#include <botan/auto_rng.h>
#include <botan/hash.h>
#include <botan/pubkey.h>

#include "common.hpp"
#include "signed_data_build.hpp"

namespace smimegw::cms {

namespace {

using detail::err;

der::Node attribute(std::string_view type, der::Node value) {
  std::vector<der::Node> vals;
  vals.push_back(std::move(value));
  std::vector<der::Node> a;
  a.push_back(der::oid(type));
  a.push_back(der::Node::set_of(std::move(vals)));
  return der::Node::cons(der::kSequence, std::move(a));
}

der::Node smime_capabilities() {
  std::vector<der::Node> caps;
  caps.push_back(der::alg(oid_of(ContentCipher::aes256_gcm)));
  caps.push_back(der::alg(oid_of(ContentCipher::aes128_gcm)));
  caps.push_back(der::alg(oid_of(ContentCipher::aes256_cbc)));
  caps.push_back(der::alg(oid_of(ContentCipher::aes192_cbc)));
  caps.push_back(der::alg(oid_of(ContentCipher::aes128_cbc)));
  return der::Node::cons(der::kSequence, std::move(caps));
}

/// RSASSA-PSS-params with hash = MGF1 hash = `d`, salt = hash length.
der::Node pss_params(DigestAlgorithm d, std::size_t salt) {
  std::vector<der::Node> p;
  std::vector<der::Node> h;
  h.push_back(der::alg(oid_of(d)));
  p.push_back(der::Node::cons(der::ctx(0, true), std::move(h)));
  std::vector<der::Node> m;
  m.push_back(der::alg(oid::kMgf1, der::alg(oid_of(d))));
  p.push_back(der::Node::cons(der::ctx(1, true), std::move(m)));
  std::vector<der::Node> s;
  s.push_back(der::integer(static_cast<long>(salt)));
  p.push_back(der::Node::cons(der::ctx(2, true), std::move(s)));
  return der::Node::cons(der::kSequence, std::move(p));
}

std::string_view ecdsa_oid(DigestAlgorithm d) {
  switch (d) {
    case DigestAlgorithm::sha1:
      return oid::kEcdsaSha1;
    case DigestAlgorithm::sha224:
      return oid::kEcdsaSha224;
    case DigestAlgorithm::sha256:
      return oid::kEcdsaSha256;
    case DigestAlgorithm::sha384:
      return oid::kEcdsaSha384;
    case DigestAlgorithm::sha512:
      return oid::kEcdsaSha512;
  }
  return oid::kEcdsaSha256;
}

}  // namespace

/// One prepared PK_Signer with the RNG it keeps a reference to (Botan's blinder re-randomises
/// from it), used by one thread at a time.
struct SigningContext::Slot {
  Botan::AutoSeeded_RNG rng;
  std::unique_ptr<Botan::PK_Signer> signer;
};

SigningContext::SigningContext() = default;
SigningContext::~SigningContext() = default;

core::Result<std::shared_ptr<const SigningContext>> SigningContext::create(SignerSpec spec,
                                                                           std::size_t max_idle) {
  if (spec.key == nullptr) return err(errc::kInvalidArgument, "sign: signer without key");
  return detail::guarded(
      errc::kInternal, "sign", [&]() -> core::Result<std::shared_ptr<const SigningContext>> {
        std::shared_ptr<SigningContext> c(new SigningContext);
        const std::string algo = spec.key->algo_name();
        const std::string h(botan_name(spec.digest));
        c->digest_ = spec.digest;
        if (algo == "RSA" && spec.rsa_pss) {
          const std::size_t salt = Botan::HashFunction::create_or_throw(h)->output_length();
          c->emsa_ = "PSSR(" + h + ",MGF1," + std::to_string(salt) + ")";
          c->sig_alg_der_ = der::alg(oid::kRsaPss, pss_params(spec.digest, salt)).encode();
          c->format_ = Botan::IEEE_1363;
        } else if (algo == "RSA") {
          c->emsa_ = "EMSA3(" + h + ")";
          c->sig_alg_der_ = der::alg(oid::kRsaEncryption, true).encode();
          c->format_ = Botan::IEEE_1363;
        } else if (algo == "ECDSA") {
          c->emsa_ = "EMSA1(" + h + ")";
          c->sig_alg_der_ = der::alg(ecdsa_oid(spec.digest)).encode();
          c->format_ = Botan::DER_SEQUENCE;
        } else if (algo == "Ed25519") {
          c->emsa_ = "Pure";
          c->digest_ = DigestAlgorithm::sha512;  // RFC 8419 §3
          c->sig_alg_der_ = der::alg(oid::kEd25519).encode();
          c->format_ = Botan::IEEE_1363;
        } else {
          return err(errc::kKeyMismatch, "signing key type " + algo + " is not supported");
        }
        auto sid = detail::identifier(spec.certificate, spec.sid);
        if (!sid) return sid.error();
        c->sid_der_ = sid->encode();
        c->digest_alg_der_ = der::alg(oid_of(c->digest_)).encode();
        c->capabilities_der_ = attribute(oid::kSmimeCapabilities, smime_capabilities()).encode();
        c->certs_der_.push_back(spec.certificate.BER_encode());
        for (const auto& x : spec.chain) c->certs_der_.push_back(x.BER_encode());
        c->max_idle_ = max_idle;
        c->spec_ = std::move(spec);
        c->release(c->acquire());  // fail here, not on first use, if Botan refuses the key
        return std::shared_ptr<const SigningContext>(std::move(c));
      });
}

std::unique_ptr<SigningContext::Slot> SigningContext::acquire() const {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  auto s = std::make_unique<Slot>();
  s->signer = std::make_unique<Botan::PK_Signer>(*spec_.key, s->rng, emsa_,
                                                 static_cast<Botan::Signature_Format>(format_));
  return s;
}

void SigningContext::release(std::unique_ptr<Slot> slot) const {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(slot));
}

std::vector<std::uint8_t> SigningContext::signature(std::span<const std::uint8_t> tbs) const {
  auto slot = acquire();
  // A throwing sign leaves the slot to be destroyed (its state is unknown).
  auto sig = slot->signer->sign_message(tbs.data(), tbs.size(), slot->rng);
  release(std::move(slot));
  return sig;
}

core::Result<std::vector<std::uint8_t>> SigningContext::signer_info(
    std::span<const std::uint8_t> content, const SignOptions& o) const {
  return detail::guarded(errc::kInternal, "sign", [&]() -> core::Result<std::vector<std::uint8_t>> {
    auto hash = Botan::HashFunction::create_or_throw(std::string(botan_name(digest_)));
    hash->update(content.data(), content.size());
    const auto md = hash->final_stdvec();

    std::vector<der::Node> attrs;
    attrs.push_back(attribute(oid::kContentType, der::oid(o.content_type)));
    if (o.signing_time) attrs.push_back(attribute(oid::kSigningTime, der::time(*o.signing_time)));
    attrs.push_back(attribute(oid::kMessageDigest, der::octet_string(md)));
    if (o.smime_capabilities) attrs.push_back(der::Node::raw_ref(capabilities_der_));
    auto signed_attrs = der::Node::set_of(std::move(attrs)).encode();  // tag 0x31: what is signed
    const auto sig = signature(signed_attrs);

    std::vector<der::Node> si;
    si.push_back(der::integer(spec_.sid == SignerIdKind::issuer_serial ? 1 : 3));
    si.push_back(der::Node::raw_ref(sid_der_));
    si.push_back(der::Node::raw_ref(digest_alg_der_));
    signed_attrs[0] = der::ctx(0, true);  // [0] IMPLICIT in the SignerInfo
    si.push_back(der::Node::raw(std::move(signed_attrs)));
    si.push_back(der::Node::raw_ref(sig_alg_der_));
    si.push_back(der::octet_string(sig));
    return der::Node::cons(der::kSequence, std::move(si)).encode();
  });
}

core::Result<std::vector<std::uint8_t>> SigningContext::sign(std::span<const std::uint8_t> content,
                                                             const SignOptions& options) const {
  const SigningContext* self = this;
  return detail::sign_prepared(content, std::span(&self, 1), options);
}

}  // namespace smimegw::cms
