// cms: SignedData creation (RFC 5652 §5.1–5.3): the SignedData around the SignerInfos that each
// SigningContext makes (signing_context.cpp). Signed attributes are always present (contentType,
// signingTime when given, messageDigest, smimeCapabilities), DER-sorted.
#include <algorithm>

#include "common.hpp"
#include "signed_data_build.hpp"
#include "smimegw/cms/signed_data.hpp"
#include "smimegw/cms/signing_context.hpp"

namespace smimegw::cms {

namespace detail {

core::Result<std::vector<std::uint8_t>> sign_prepared(
    std::span<const std::uint8_t> content, std::span<const SigningContext* const> signers,
    const SignOptions& o) {
  if (signers.empty()) return err(errc::kInvalidArgument, "sign: no signers");
  return guarded(errc::kInternal, "sign", [&]() -> core::Result<std::vector<std::uint8_t>> {
    std::vector<der::Node> digests, infos;
    std::vector<std::span<const std::uint8_t>> certs;
    std::vector<const std::vector<std::uint8_t>*> seen_digests;
    bool v3 = o.content_type != oid::kData;
    for (const SigningContext* s : signers) {
      auto info = s->signer_info(content, o);
      if (!info) return info.error();
      infos.push_back(der::Node::raw(std::move(*info)));
      const auto& d = s->digest_algorithm_der();
      if (std::none_of(seen_digests.begin(), seen_digests.end(),
                       [&](auto* p) { return *p == d; })) {
        seen_digests.push_back(&d);
        digests.push_back(der::Node::raw_ref(d));
      }
      if (s->uses_ski()) v3 = true;
      if (o.include_certificates)
        for (const auto& c : s->certificates_der()) certs.emplace_back(c);
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
      auto less = [](auto a, auto b) {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
      };
      auto same = [](auto a, auto b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); };
      std::sort(certs.begin(), certs.end(), less);
      certs.erase(std::unique(certs.begin(), certs.end(), same), certs.end());
      std::vector<der::Node> uniq;
      for (auto c : certs) uniq.push_back(der::Node::raw_ref(c));
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

}  // namespace detail

core::Result<std::vector<std::uint8_t>> sign(
    std::span<const std::uint8_t> content,
    const std::vector<std::shared_ptr<const SigningContext>>& signers, const SignOptions& options) {
  std::vector<const SigningContext*> raw;
  for (const auto& s : signers) {
    if (!s) return detail::err(errc::kInvalidArgument, "sign: null signing context");
    raw.push_back(s.get());
  }
  return detail::sign_prepared(content, raw, options);
}

core::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> content,
                                             const std::vector<SignerSpec>& signers,
                                             const SignOptions& o,
                                             Botan::RandomNumberGenerator& /*rng*/) {
  if (signers.empty()) return detail::err(errc::kInvalidArgument, "sign: no signers");
  std::vector<std::shared_ptr<const SigningContext>> contexts;
  for (const auto& s : signers) {
    auto c = SigningContext::create(s, 1);
    if (!c) return c.error();
    contexts.push_back(std::move(*c));
  }
  return sign(content, contexts, o);
}

}  // namespace smimegw::cms
