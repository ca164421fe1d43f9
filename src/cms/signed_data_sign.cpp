// cms: SignedData creation (RFC 5652 §5.3–5.5). One SignerInfo per SignerSpec; signed attributes
// are always present (contentType, signingTime, messageDigest, smimeCapabilities), DER-sorted.
#include <botan/hash.h>
#include <botan/pubkey.h>

#include <algorithm>

#include "common.hpp"
#include "smimegw/cms/signed_data.hpp"

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

struct Scheme {
  std::string emsa;
  Botan::Signature_Format format = Botan::IEEE_1363;
  std::vector<std::uint8_t> sig_alg;  // encoded AlgorithmIdentifier
  DigestAlgorithm digest;
};

core::Result<Scheme> scheme_for(const SignerSpec& s) {
  const std::string algo = s.key->algo_name();
  const std::string h(botan_name(s.digest));
  Scheme sc;
  sc.digest = s.digest;
  if (algo == "RSA") {
    if (s.rsa_pss) {
      const std::size_t salt = Botan::HashFunction::create_or_throw(h)->output_length();
      sc.emsa = "PSSR(" + h + ",MGF1," + std::to_string(salt) + ")";
      sc.sig_alg = der::alg(oid::kRsaPss, pss_params(s.digest, salt)).encode();
    } else {
      sc.emsa = "EMSA3(" + h + ")";
      sc.sig_alg = der::alg(oid::kRsaEncryption, true).encode();
    }
    return sc;
  }
  if (algo == "ECDSA") {
    std::string_view o;
    switch (s.digest) {
      case DigestAlgorithm::sha1:
        o = oid::kEcdsaSha1;
        break;
      case DigestAlgorithm::sha224:
        o = oid::kEcdsaSha224;
        break;
      case DigestAlgorithm::sha256:
        o = oid::kEcdsaSha256;
        break;
      case DigestAlgorithm::sha384:
        o = oid::kEcdsaSha384;
        break;
      case DigestAlgorithm::sha512:
        o = oid::kEcdsaSha512;
        break;
    }
    sc.emsa = "EMSA1(" + h + ")";
    sc.format = Botan::DER_SEQUENCE;
    sc.sig_alg = der::alg(o).encode();
    return sc;
  }
  if (algo == "Ed25519") {
    sc.emsa = "Pure";
    sc.digest = DigestAlgorithm::sha512;  // RFC 8419 §3
    sc.sig_alg = der::alg(oid::kEd25519).encode();
    return sc;
  }
  return err(errc::kKeyMismatch, "signing key type " + algo + " is not supported");
}

core::Result<der::Node> signer_info(std::span<const std::uint8_t> content, const SignerSpec& s,
                                    const SignOptions& o, Botan::RandomNumberGenerator& rng) {
  auto sc = scheme_for(s);
  if (!sc) return sc.error();
  auto sid = detail::identifier(s.certificate, s.sid);
  if (!sid) return sid.error();
  auto hash = Botan::HashFunction::create_or_throw(std::string(botan_name(sc->digest)));
  hash->update(content.data(), content.size());
  const auto md = hash->final_stdvec();

  std::vector<der::Node> attrs;
  attrs.push_back(attribute(oid::kContentType, der::oid(o.content_type)));
  if (o.signing_time) attrs.push_back(attribute(oid::kSigningTime, der::time(*o.signing_time)));
  attrs.push_back(attribute(oid::kMessageDigest, der::octet_string(md)));
  if (o.smime_capabilities)
    attrs.push_back(attribute(oid::kSmimeCapabilities, smime_capabilities()));
  auto signed_attrs = der::Node::set_of(std::move(attrs)).encode();  // tag 0x31: what is signed

  Botan::PK_Signer signer(*s.key, rng, sc->emsa, sc->format);
  const auto sig = signer.sign_message(signed_attrs, rng);

  std::vector<der::Node> si;
  si.push_back(der::integer(s.sid == SignerIdKind::issuer_serial ? 1 : 3));
  si.push_back(std::move(*sid));
  si.push_back(der::alg(oid_of(sc->digest)));
  signed_attrs[0] = der::ctx(0, true);  // [0] IMPLICIT in the SignerInfo
  si.push_back(der::Node::raw(std::move(signed_attrs)));
  si.push_back(der::Node::raw(std::move(sc->sig_alg)));
  si.push_back(der::octet_string(sig));
  return der::Node::cons(der::kSequence, std::move(si));
}

}  // namespace

core::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> content,
                                             const std::vector<SignerSpec>& signers,
                                             const SignOptions& o,
                                             Botan::RandomNumberGenerator& rng) {
  if (signers.empty()) return err(errc::kInvalidArgument, "sign: no signers");
  for (const auto& s : signers)
    if (!s.key) return err(errc::kInvalidArgument, "sign: signer without key");
  return detail::guarded(errc::kInternal, "sign", [&]() -> core::Result<std::vector<std::uint8_t>> {
    std::vector<der::Node> digests, certs, infos;
    std::vector<std::string> seen_digests;
    bool v3 = o.content_type != oid::kData;
    for (const auto& s : signers) {
      auto info = signer_info(content, s, o, rng);
      if (!info) return info.error();
      infos.push_back(std::move(*info));
      const std::string d(s.key->algo_name() == "Ed25519" ? oid_of(DigestAlgorithm::sha512)
                                                          : oid_of(s.digest));
      if (std::find(seen_digests.begin(), seen_digests.end(), d) == seen_digests.end()) {
        seen_digests.push_back(d);
        digests.push_back(der::alg(d));
      }
      if (s.sid == SignerIdKind::subject_key_id) v3 = true;
      if (o.include_certificates) {
        certs.push_back(der::Node::raw(s.certificate.BER_encode()));
        for (const auto& c : s.chain) certs.push_back(der::Node::raw(c.BER_encode()));
      }
    }
    std::vector<der::Node> encap;
    encap.push_back(der::oid(o.content_type));
    if (!o.detached) {
      std::vector<der::Node> e;
      e.push_back(der::Node::prim_ref(der::kOctetString, content));
      encap.push_back(der::Node::cons(der::ctx(0, true), std::move(e)));
    }
    std::vector<der::Node> sd;
    sd.push_back(der::integer(v3 ? 3 : 1));
    sd.push_back(der::Node::set_of(std::move(digests)));
    sd.push_back(der::Node::cons(der::kSequence, std::move(encap)));
    if (!certs.empty()) {
      // De-duplicate (a chain shared by two signers) and sort as DER SET OF.
      std::vector<std::vector<std::uint8_t>> enc;
      for (const auto& c : certs) enc.push_back(c.encode());
      std::sort(enc.begin(), enc.end());
      enc.erase(std::unique(enc.begin(), enc.end()), enc.end());
      std::vector<der::Node> uniq;
      for (auto& e : enc) uniq.push_back(der::Node::raw(std::move(e)));
      sd.push_back(der::Node::cons(der::ctx(0, true), std::move(uniq)));
    }
    sd.push_back(der::Node::set_of(std::move(infos)));

    std::vector<der::Node> wrap;
    wrap.push_back(der::Node::cons(der::kSequence, std::move(sd)));
    std::vector<der::Node> ci;
    ci.push_back(der::oid(oid::kSignedData));
    ci.push_back(der::Node::cons(der::ctx(0, true), std::move(wrap)));
    return der::Node::cons(der::kSequence, std::move(ci)).encode();
  });
}

}  // namespace smimegw::cms
