// cms: SignedData verification (RFC 5652 §5.4–5.6): signature math, messageDigest and
// contentType per signer. Trust decisions (chain, validity, revocation) belong to `trust`.
#include <botan/hash.h>
#include <botan/pubkey.h>

#include "common.hpp"
#include "public_key_cache.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/cms/signed_data.hpp"

namespace smimegw::cms {

namespace {

using detail::err;

struct ParsedSigner {
  SignerId sid;
  ber::AlgId digest;
  std::optional<ber::Tlv> signed_attrs;
  ber::AlgId sig_alg;
  std::vector<std::uint8_t> signature;
};

core::Result<ParsedSigner> parse_signer(const ber::Tlv& t) {
  if (!t.is_universal(ber::kSequence))
    return err(errc::kMalformed, "CMS: SignerInfo is not a SEQUENCE");
  ParsedSigner p;
  ber::Reader r(t.content);
  auto version = r.next();
  if (!version) return version.error();
  if (auto v = ber::small_int(*version); !v) return v.error();
  auto sid = r.next();
  if (!sid) return sid.error();
  auto id = detail::parse_identifier(*sid);
  if (!id) return id.error();
  p.sid = std::move(*id);
  auto dig = r.next();
  if (!dig) return dig.error();
  auto da = ber::alg_id(*dig);
  if (!da) return da.error();
  p.digest = *da;
  if (auto sa = r.next_if(ber::kContext, 0)) p.signed_attrs = *sa;
  auto sig_alg = r.next();
  if (!sig_alg) return sig_alg.error();
  auto sa = ber::alg_id(*sig_alg);
  if (!sa) return sa.error();
  p.sig_alg = *sa;
  auto sig = r.expect(ber::kUniversal, ber::kOctetString, "signature");
  if (!sig) return sig.error();
  auto s = ber::octets_copy(*sig);
  if (!s) return s.error();
  p.signature = std::move(*s);
  return p;
}

struct Attrs {
  std::optional<std::vector<std::uint8_t>> message_digest;
  std::optional<std::string> content_type;
  std::optional<std::chrono::system_clock::time_point> signing_time;
};

core::Result<Attrs> parse_attrs(const ber::Tlv& set, const Limits& limits) {
  auto list = ber::children(set, limits.max_attributes);
  if (!list) return list.error();
  Attrs a;
  for (const auto& attr : *list) {
    if (!attr.is_universal(ber::kSequence)) return err(errc::kMalformed, "CMS: bad attribute");
    ber::Reader r(attr.content);
    auto t = r.next();
    if (!t) return t.error();
    auto type = ber::oid_string(*t);
    if (!type) return type.error();
    auto values = r.expect(ber::kUniversal, ber::kSet, "attribute values");
    if (!values) return values.error();
    auto vals = ber::children(*values, limits.max_attributes);
    if (!vals) return vals.error();
    const bool single = vals->size() == 1;
    if (*type == oid::kMessageDigest || *type == oid::kContentType || *type == oid::kSigningTime) {
      if (!single) return err(errc::kMalformed, "CMS: attribute " + *type + " must have one value");
      const bool dup = (*type == oid::kMessageDigest && a.message_digest) ||
                       (*type == oid::kContentType && a.content_type) ||
                       (*type == oid::kSigningTime && a.signing_time);
      if (dup) return err(errc::kMalformed, "CMS: duplicate attribute " + *type);
    }
    if (*type == oid::kMessageDigest) {
      if (!(*vals)[0].is_universal(ber::kOctetString))
        return err(errc::kMalformed, "CMS: bad messageDigest");
      auto md = ber::octets_copy((*vals)[0]);
      if (!md) return md.error();
      a.message_digest = std::move(*md);
    } else if (*type == oid::kContentType) {
      auto ct = ber::oid_string((*vals)[0]);
      if (!ct) return ct.error();
      a.content_type = *ct;
    } else if (*type == oid::kSigningTime) {
      auto st = detail::parse_time((*vals)[0]);
      if (!st) return st.error();
      a.signing_time = *st;
    }
  }
  return a;
}

struct SigScheme {
  std::string name;  // reported
  std::string emsa;
  Botan::Signature_Format format = Botan::IEEE_1363;
  std::string key_algo;
};

core::Result<DigestAlgorithm> digest_param(const std::optional<ber::Tlv>& t) {
  if (!t) return err(errc::kMalformed, "CMS: missing hash parameter");
  auto a = ber::alg_id(*t);
  if (!a) return a.error();
  auto d = digest_from_oid(a->oid);
  if (!d) return err(errc::kUnsupportedAlgorithm, "unsupported hash " + a->oid);
  return *d;
}

/// RSASSA-PSS-params (RFC 4055): hash [0], mask gen [1], salt length [2], trailer [3].
core::Result<SigScheme> pss_scheme(const ber::AlgId& alg) {
  DigestAlgorithm hash = DigestAlgorithm::sha1, mgf_hash = DigestAlgorithm::sha1;
  long salt = 20;
  if (alg.params && alg.params->is_universal(ber::kSequence)) {
    ber::Reader r(alg.params->content);
    while (!r.at_end()) {
      auto f = r.next();
      if (!f) return f.error();
      if (f->cls != ber::kContext) return err(errc::kMalformed, "CMS: bad RSASSA-PSS-params");
      ber::Reader inner(f->content);
      auto v = inner.next();
      if (!v) return v.error();
      if (f->tag == 0) {
        auto d = digest_param(*v);
        if (!d) return d.error();
        hash = *d;
      } else if (f->tag == 1) {
        auto m = ber::alg_id(*v);
        if (!m) return m.error();
        if (m->oid != oid::kMgf1)
          return err(errc::kUnsupportedAlgorithm, "unsupported PSS mask " + m->oid);
        auto d = digest_param(m->params);
        if (!d) return d.error();
        mgf_hash = *d;
      } else if (f->tag == 2) {
        auto s = ber::small_int(*v);
        if (!s) return s.error();
        salt = *s;
      } else if (f->tag == 3) {
        auto tr = ber::small_int(*v);
        if (!tr || *tr != 1) return err(errc::kUnsupportedAlgorithm, "unsupported PSS trailer");
      }
    }
  }
  if (mgf_hash != hash)
    return err(errc::kUnsupportedAlgorithm, "PSS with MGF1 hash != message hash");
  SigScheme s;
  s.name = "RSA-PSS";
  s.key_algo = "RSA";
  s.emsa = "PSSR(" + std::string(botan_name(hash)) + ",MGF1," + std::to_string(salt) + ")";
  return s;
}

core::Result<SigScheme> scheme_for(const ber::AlgId& sig, DigestAlgorithm d) {
  const std::string h(botan_name(d));
  const std::string& o = sig.oid;
  SigScheme s;
  if (o == oid::kRsaEncryption || o == oid::kSha1WithRsa || o == oid::kSha224WithRsa ||
      o == oid::kSha256WithRsa || o == oid::kSha384WithRsa || o == oid::kSha512WithRsa) {
    s = {"RSA", "EMSA3(" + h + ")", Botan::IEEE_1363, "RSA"};
    return s;
  }
  if (o == oid::kRsaPss) return pss_scheme(sig);
  if (o == oid::kEcPublicKey || o == oid::kEcdsaSha1 || o == oid::kEcdsaSha224 ||
      o == oid::kEcdsaSha256 || o == oid::kEcdsaSha384 || o == oid::kEcdsaSha512) {
    s = {"ECDSA", "EMSA1(" + h + ")", Botan::DER_SEQUENCE, "ECDSA"};
    return s;
  }
  if (o == oid::kEd25519) {
    s = {"Ed25519", "Pure", Botan::IEEE_1363, "Ed25519"};
    return s;
  }
  return err(errc::kUnsupportedAlgorithm, "unsupported signature algorithm " + o);
}

void fail(SignerResult& r, std::string_view code, std::string msg) {
  r.errors.push_back(err(code, std::move(msg)));
}

SignerResult check_signer(const ber::Tlv& t, std::span<const std::uint8_t> content,
                          const std::string& econtent_type,
                          const std::vector<Botan::X509_Certificate>& certs,
                          const VerifyOptions& o) {
  SignerResult r;
  auto p = parse_signer(t);
  if (!p) {
    r.errors.push_back(p.error());
    r.status = p.error().code;
    return r;
  }
  r.sid = p->sid;
  r.digest_algorithm = p->digest.oid;
  r.signature_algorithm = p->sig_alg.oid;
  for (const auto* list : {&certs, &o.extra_certificates}) {
    for (const auto& c : *list)
      if (matches(p->sid, c)) {
        r.certificate = c;
        break;
      }
    if (r.certificate) break;
  }
  auto finish = [&r]() {
    r.valid = r.errors.empty();
    r.status = r.valid ? "ok" : r.errors.front().code;
    return r;
  };
  auto d = digest_from_oid(p->digest.oid);
  if (!d) {
    fail(r, errc::kUnsupportedAlgorithm, "unsupported digest algorithm " + p->digest.oid);
    return finish();
  }
  r.digest_algorithm = std::string(botan_name(*d));
  auto sch = scheme_for(p->sig_alg, *d);
  if (!sch) {
    r.errors.push_back(sch.error());
    return finish();
  }
  r.signature_algorithm = sch->name;

  auto hash = Botan::HashFunction::create_or_throw(r.digest_algorithm);
  hash->update(content.data(), content.size());
  const auto md = hash->final_stdvec();

  std::vector<std::uint8_t> to_verify;
  if (p->signed_attrs) {
    auto a = parse_attrs(*p->signed_attrs, o.limits);
    if (!a) {
      r.errors.push_back(a.error());
      return finish();
    }
    r.signing_time = a->signing_time;
    if (!a->message_digest)
      fail(r, errc::kMalformed, "signed attributes lack messageDigest");
    else if (*a->message_digest != md)
      fail(r, errc::kDigestMismatch, "messageDigest does not match the content");
    if (!a->content_type)
      fail(r, errc::kMalformed, "signed attributes lack contentType");
    else if (*a->content_type != econtent_type)
      fail(r, errc::kContentTypeMismatch, "contentType attribute differs from eContentType");
    // The signature covers the DER SET OF, i.e. the received bytes with the universal SET tag.
    to_verify.assign(p->signed_attrs->whole.begin(), p->signed_attrs->whole.end());
    to_verify[0] = 0x31;
  } else {
    to_verify.assign(content.begin(), content.end());
  }

  if (!r.certificate) {
    fail(r, errc::kSignerCertMissing, "no certificate in the message matches the signer");
    return finish();
  }
  try {
    auto key = detail::public_key_of(*r.certificate);
    if (key->algo_name() != sch->key_algo) {
      fail(r, errc::kBadSignature,
           "certificate key type " + key->algo_name() + " does not fit " + sch->name);
      return finish();
    }
    Botan::PK_Verifier v(*key, sch->emsa, sch->format);
    if (!v.verify_message(to_verify, p->signature))
      fail(r, errc::kBadSignature, "signature does not verify");
  } catch (const std::exception& e) {
    fail(r, errc::kBadSignature, std::string("signature check failed: ") + e.what());
  }
  if (*d == DigestAlgorithm::sha1 && !o.accept_sha1)
    fail(r, errc::kWeakAlgorithm, "SHA-1 signatures are not accepted");
  return finish();
}

core::Result<VerifyResult> verify_impl(std::span<const std::uint8_t> cms,
                                       std::optional<std::span<const std::uint8_t>> detached,
                                       const VerifyOptions& o) {
  auto ci = parse_content_info(cms, o.limits);
  if (!ci) return ci.error();
  if (ci->content_type != oid::kSignedData)
    return err(errc::kUnsupportedContentType, "not SignedData: " + ci->content_type);
  auto sd = ber::read_tlv(ci->content, o.limits.max_depth);
  if (!sd) return sd.error();
  if (!sd->is_universal(ber::kSequence))
    return err(errc::kMalformed, "SignedData is not a SEQUENCE");
  ber::Reader r(sd->content);
  auto version = r.next();
  if (!version) return version.error();
  if (auto v = ber::small_int(*version); !v) return v.error();
  auto digests = r.expect(ber::kUniversal, ber::kSet, "digestAlgorithms");
  if (!digests) return digests.error();
  auto encap = r.expect(ber::kUniversal, ber::kSequence, "encapContentInfo");
  if (!encap) return encap.error();

  VerifyResult out;
  ber::Reader er(encap->content);
  auto ect = er.next();
  if (!ect) return ect.error();
  auto ect_s = ber::oid_string(*ect);
  if (!ect_s) return ect_s.error();
  out.content_type = *ect_s;
  std::vector<std::uint8_t> storage;
  std::span<const std::uint8_t> content;
  std::span<const std::uint8_t> econtent;
  bool has_econtent = false;
  if (auto e0 = er.next_if(ber::kContext, 0)) {
    ber::Reader inner(e0->content);
    auto os = inner.expect(ber::kUniversal, ber::kOctetString, "eContent");
    if (!os) return os.error();
    auto bytes = ber::octets(*os, storage);
    if (!bytes) return bytes.error();
    econtent = *bytes;
    has_econtent = true;
  }
  // Content supplied by the caller (the MIME part the user sees) wins over an eContent that a
  // multipart/signed signature should not carry: what is shown is what gets verified.
  if (detached) {
    content = *detached;
    out.detached = true;
  } else if (has_econtent) {
    content = econtent;
  } else {
    return err(errc::kMissingContent, "detached signature and no content supplied");
  }

  if (auto certs = r.next_if(ber::kContext, 0)) {
    auto list = ber::children(*certs, o.limits.max_certificates);
    if (!list) return list.error();
    for (const auto& c : *list) {
      if (!c.is_universal(ber::kSequence)) continue;  // attribute/other certificate formats
      out.certificates_der.emplace_back(c.whole.begin(), c.whole.end());
      // An unparsable certificate is simply not usable; the signer then reports it missing.
      // notAfter 99991231235959Z loads with a stand-in date (loaded_certificate.hpp).
      if (auto lc = load_certificate(c.whole))
        out.certificates.push_back(std::move(lc->certificate));
    }
  }
  (void)r.next_if(ber::kContext, 1);  // CRLs: not used here
  auto infos = r.expect(ber::kUniversal, ber::kSet, "signerInfos");
  if (!infos) return infos.error();
  auto list = ber::children(*infos, o.limits.max_signers);
  if (!list) return list.error();
  for (const auto& si : *list)
    out.signers.push_back(check_signer(si, content, out.content_type, out.certificates, o));
  if (has_econtent) {
    if (econtent.data() == storage.data())
      out.content = std::move(storage);
    else
      out.content = std::vector<std::uint8_t>(econtent.begin(), econtent.end());
  }
  return out;
}

}  // namespace

bool VerifyResult::all_valid() const {
  if (signers.empty()) return false;
  for (const auto& s : signers)
    if (!s.valid) return false;
  return true;
}

core::Result<VerifyResult> verify(std::span<const std::uint8_t> cms,
                                  std::optional<std::span<const std::uint8_t>> detached,
                                  const VerifyOptions& o) {
  return detail::guarded(errc::kInternal, "verify", [&] { return verify_impl(cms, detached, o); });
}

}  // namespace smimegw::cms
