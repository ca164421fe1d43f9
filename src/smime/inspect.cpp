// smime: inspect/verify — peel layers from the outside in (RFC 8551 §3.1, §3.3–3.6).
//
// Each round parses the current entity, reads one layer and produces the next entity as an owned
// string; the previous one is released before the next round, so at most two layers' bytes are
// alive at a time besides the caller's message.
#include "smimegw/smime/inspect.hpp"

#include <algorithm>
#include <cctype>

#include "entity_util.hpp"
#include "signer_report.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/errors.hpp"
#include "smimegw/cms/signed_data.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/header_field.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::smime {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

core::Error err(std::string_view code, std::string message) {
  return core::Error::make(std::string(code), std::move(message));
}

void fail(Layer& l, core::Error e) {
  if (l.status == "ok") l.status = e.code;
  l.errors.push_back(std::move(e));
}

/// Fills the layer's signers from a cms verify result and applies the chain hook.
void add_signers(Layer& layer, const cms::VerifyResult& vr, const InspectOptions& o) {
  for (const auto& sr : vr.signers) {
    SignerReport s = make_signer_report(sr);
    if (o.chain_check && s.certificate)
      for (auto& e : o.chain_check(*s.certificate, vr.certificates)) add_signer_error(s, e);
    layer.signers.push_back(std::move(s));
  }
  if (layer.signers.empty()) fail(layer, err(errc::kNotSigned, "SignedData without signers"));
  for (const auto& s : layer.signers)
    if (!s.valid() && layer.status == "ok") layer.status = s.status;
}

/// "SHA-256" → "sha-256" (RFC 8551 §3.5.3 micalg names).
std::string micalg_name(std::string digest) {
  return lower(std::move(digest));
}

struct Next {
  std::string entity;  ///< the inner entity to look at next ("" = stop)
  bool more = false;
};

Next clear_signed(const mime::Message& m, Layer& layer, Report& rep, const InspectOptions& o) {
  const mime::Part& root = m.root;
  layer.kind = LayerKind::clear_signed;
  layer.micalg = lower(root.content_type.params.get("micalg").value_or(""));
  if (root.children.size() < 2) {
    fail(layer, err(errc::kBadSignedStructure, "multipart/signed needs two parts"));
    return {};
  }
  const mime::Part& sig_part = root.children[1];
  const auto& sct = sig_part.content_type;
  if (!sct.is("application", "pkcs7-signature") && !sct.is("application", "x-pkcs7-signature")) {
    fail(layer, err(errc::kBadSignedStructure,
                    "second part is " + sct.mime_type() + ", not application/pkcs7-signature"));
    return {};
  }
  Next next{mime::canonical_crlf(m.bytes(root.children[0].entity)), true};
  auto sig = pkcs7_body(m, sig_part);
  if (!sig) {
    fail(layer, sig.error());
    return next;
  }
  cms::VerifyOptions vo;
  vo.accept_sha1 = o.accept_sha1;
  vo.limits = o.cms_limits;
  auto vr = cms::verify(as_bytes(*sig), as_bytes(next.entity), vo);
  if (!vr) {
    fail(layer, vr.error());
    return next;
  }
  add_signers(layer, *vr, o);
  for (const auto& s : layer.signers)
    if (!layer.micalg.empty() && !s.digest_algorithm.empty() &&
        layer.micalg.find(micalg_name(s.digest_algorithm)) == std::string::npos)
      rep.warnings.push_back(
          err(errc::kMicalgMismatch,
              "micalg=" + layer.micalg + " but the signer used " + s.digest_algorithm));
  return next;
}

LayerKind kind_from_smime_type(const std::string& t) {
  if (t == "enveloped-data") return LayerKind::enveloped;
  if (t == "authenveloped-data") return LayerKind::auth_enveloped;
  return LayerKind::opaque_signed;
}

Next pkcs7(const mime::Message& m, Layer& layer, Report& rep, const InspectOptions& o,
           Botan::RandomNumberGenerator& rng) {
  layer.smime_type = smime_type_of(m.root);
  layer.kind = kind_from_smime_type(layer.smime_type);
  auto der = pkcs7_body(m, m.root);
  if (!der) {
    fail(layer, der.error());
    return {};
  }
  auto ci = cms::parse_content_info(as_bytes(*der), o.cms_limits);
  if (!ci) {
    fail(layer, ci.error());
    return {};
  }
  const std::string type = ci->content_type;
  LayerKind actual;
  if (type == cms::oid::kSignedData)
    actual = LayerKind::opaque_signed;
  else if (type == cms::oid::kEnvelopedData)
    actual = LayerKind::enveloped;
  else if (type == cms::oid::kAuthEnvelopedData)
    actual = LayerKind::auth_enveloped;
  else {
    fail(layer, err(cms::errc::kUnsupportedContentType, "CMS content type " + type));
    return {};
  }
  if (!layer.smime_type.empty() && actual != layer.kind)
    rep.warnings.push_back(err(errc::kWrongSmimeType, "smime-type=" + layer.smime_type +
                                                          " but the CMS content is " +
                                                          std::string(to_string(actual))));
  layer.kind = actual;
  if (actual == LayerKind::opaque_signed) {
    cms::VerifyOptions vo;
    vo.accept_sha1 = o.accept_sha1;
    vo.limits = o.cms_limits;
    auto vr = cms::verify(as_bytes(*der), std::nullopt, vo);
    if (!vr) {
      fail(layer, vr.error());
      return {};
    }
    add_signers(layer, *vr, o);
    if (!vr->content) return {};
    return {mime::canonical_crlf(as_view(*vr->content)), true};
  }
  if (o.keys.empty()) {
    layer.status = "not_decrypted";
    return {};
  }
  cms::DecryptOptions dopt;
  dopt.limits = o.cms_limits;
  auto d = decrypt_der(as_bytes(*der), o.keys, rng, dopt);
  if (!d) {
    fail(layer, d.error());
    return {};
  }
  layer.cipher = std::string(cms::display_name(d->cipher));
  layer.recipient_kind = d->recipient_kind;
  return {mime::canonical_crlf(as_view(d->content)), true};
}

/// Signers of the outermost signature layer must carry one of the From: addresses.
void check_from(Report& rep, const std::string& from_header) {
  auto from = mime::parse_address_list(from_header);
  if (from.empty()) return;
  for (auto& layer : rep.layers) {
    if (layer.kind != LayerKind::clear_signed && layer.kind != LayerKind::opaque_signed) continue;
    for (auto& s : layer.signers) {
      if (!s.certificate) continue;
      bool found = false;
      for (const auto& mb : from)
        found = found || std::find(s.addresses.begin(), s.addresses.end(), lower(mb.address)) !=
                             s.addresses.end();
      if (!found) {
        add_signer_error(s, err(errc::kAddressMismatch,
                                "From: " + from.front().address + " is not in the certificate"));
        if (layer.status == "ok") layer.status = s.status;
      }
    }
    return;
  }
}

}  // namespace

core::Result<Report> inspect(std::string_view message, const InspectOptions& options,
                             Botan::RandomNumberGenerator& rng) {
  Report rep;
  auto top = mime::parse(message, options.mime_limits);
  if (!top) return top.error();
  const mime::HeaderBlock outer = outer_fields(*top);
  const std::string from = top->header("From");

  std::string owned;  // the current entity when it is not the caller's message
  std::string_view cur = message;
  std::optional<mime::Message> m = std::move(*top);
  for (std::size_t round = 0;; ++round) {
    if (round > 0) {
      auto parsed = mime::parse(cur, options.mime_limits);
      if (!parsed) {
        rep.warnings.push_back(parsed.error());
        break;
      }
      m = std::move(*parsed);
    }
    const EntityKind kind = classify(m->root);
    if (kind == EntityKind::plain) break;
    if (round >= options.max_layers) {
      rep.warnings.push_back(
          err(errc::kTooManyLayers,
              "more than " + std::to_string(options.max_layers) + " S/MIME layers; stopped"));
      break;
    }
    if (kind == EntityKind::pkcs7_mime && smime_type_of(m->root) == "certs-only") break;
    Layer layer;
    Next next = kind == EntityKind::multipart_signed ? clear_signed(*m, layer, rep, options)
                                                     : pkcs7(*m, layer, rep, options, rng);
    rep.layers.push_back(std::move(layer));
    if (!next.more) break;
    m.reset();
    owned = std::move(next.entity);
    cur = owned;
  }
  m.reset();
  if (options.check_from_address) check_from(rep, from);
  if (rep.layers.empty())
    rep.content = mime::canonical_crlf(message);
  else if (cur.data() == message.data())
    rep.content = mime::canonical_crlf(message);
  else
    rep.content = mime::wrap_outer(outer, cur);
  return rep;
}

}  // namespace smimegw::smime
