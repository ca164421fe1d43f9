// cms/pkcs12 (private): AuthenticatedSafe, SafeContents and SafeBag decoding (RFC 7292 4.1, 4.2).
#include "pkcs12_bags.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include "pkcs12_oids.hpp"
#include "smimegw/cms/loaded_certificate.hpp"

namespace smimegw::cms::pkcs12_detail {
namespace {

struct Attributes {
  std::string friendly_name;
  Bytes local_key_id;
};

Attributes read_attributes(const Tlv& set, const Pkcs12Limits& limits) {
  Attributes a;
  Reader r(set.content, set.depth + 1, limits.max_depth);
  while (!r.empty()) {
    Tlv attr = r.expect(tag::kSequence, "bag attribute");
    Reader ar(attr.content, attr.depth + 1, limits.max_depth);
    const std::string type = oid_string(ar.expect(tag::kOid, "attribute type"));
    Tlv values = ar.expect(tag::kSet, "attribute values");
    Reader vr(values.content, values.depth + 1, limits.max_depth);
    if (vr.empty()) continue;
    Tlv v = vr.next("attribute value");
    if (type == oid::kFriendlyName && v.id == tag::kBmpString) {
      a.friendly_name = bmp_to_utf8(v.content);
    } else if (type == oid::kLocalKeyId && (v.id & 0x1F) == tag::kOctetString) {
      a.local_key_id = octets(v, limits.max_depth);
    }
  }
  return a;
}

std::unique_ptr<Botan::Private_Key> load_private_key(ByteView pkcs8, const Pkcs12Limits& limits) {
  try {
    Botan::DataSource_Memory src(pkcs8.data(), pkcs8.size());
    auto key = Botan::PKCS8::load_key(src);
    if (key) return key;
  } catch (const std::exception&) {
  }
  // Say why: an algorithm we don't know, or a broken encoding.
  Reader r(pkcs8, 0, limits.max_depth);
  Tlv pki = r.expect(tag::kSequence, "PrivateKeyInfo");
  Reader pr(pki.content, 1, limits.max_depth);
  pr.expect(tag::kInteger, "PrivateKeyInfo version");
  Tlv alg = pr.expect(tag::kSequence, "private key algorithm");
  Reader ar(alg.content, 2, limits.max_depth);
  const std::string oid = oid_string(ar.expect(tag::kOid, "private key algorithm"));
  if (oid != oid::kRsaEncryption && oid != oid::kEcPublicKey && oid != oid::kEd25519)
    fail(kUnsupported, "private key algorithm " + oid + " is not supported");
  malformed("private key does not decode");
}

void read_safe_contents(const Tlv& seq, const BagContext& ctx, BagCollection& out);

void read_bag(const Tlv& bag, const BagContext& ctx, BagCollection& out) {
  if (++out.bags > ctx.limits.max_bags)
    fail(kLimitExceeded, "more than " + std::to_string(ctx.limits.max_bags) + " bags");
  Reader r(bag.content, bag.depth + 1, ctx.limits.max_depth);
  const std::string type = oid_string(r.expect(tag::kOid, "bag type"));
  Tlv wrapper = r.expect(tag::kContext0, "bag value");
  Reader wr(wrapper.content, wrapper.depth + 1, ctx.limits.max_depth);
  Tlv value = wr.next("bag value");
  wr.expect_end("bag value");
  Attributes attrs;
  if (!r.empty()) attrs = read_attributes(r.expect(tag::kSet, "bag attributes"), ctx.limits);
  r.expect_end("SafeBag");

  if (type == oid::kKeyBag || type == oid::kShroudedKeyBag) {
    if (value.id != tag::kSequence) malformed("bad key bag");
    SecureBytes pkcs8;
    if (type == oid::kKeyBag) {
      const Bytes encoded = der(tag::kSequence, value.content);
      pkcs8.assign(encoded.begin(), encoded.end());
    } else {
      ++out.encrypted_elements;
      Reader er(value.content, value.depth + 1, ctx.limits.max_depth);
      Tlv alg = er.expect(tag::kSequence, "key encryption algorithm");
      const Bytes ct = er.expect_octets("encrypted key");
      er.expect_end("EncryptedPrivateKeyInfo");
      pkcs8 = pbe_decrypt(alg, ct, ctx.password, ctx.limits, ctx.budget);
    }
    auto key = load_private_key(pkcs8, ctx.limits);
    if (type == oid::kShroudedKeyBag) ++out.decrypted_ok;
    out.keys.push_back(RawKey{std::move(key), attrs.friendly_name, attrs.local_key_id});
  } else if (type == oid::kCertBag) {
    if (value.id != tag::kSequence) malformed("bad certificate bag");
    Reader cr(value.content, value.depth + 1, ctx.limits.max_depth);
    const std::string cert_type = oid_string(cr.expect(tag::kOid, "certificate type"));
    Tlv cw = cr.expect(tag::kContext0, "certificate value");
    if (cert_type != oid::kX509Certificate) {
      out.notes.push_back("skipped certificate bag of type " + cert_type);
      return;
    }
    Reader cwr(cw.content, cw.depth + 1, ctx.limits.max_depth);
    Tlv os = cwr.next("certificate");
    if ((os.id & 0x1F) != tag::kOctetString) malformed("bad certificate value");
    RawCert cert{octets(os, ctx.limits.max_depth), std::nullopt, attrs.friendly_name,
                 attrs.local_key_id};
    if (auto lc = load_certificate(cert.der)) {
      cert.cert.emplace(std::move(lc->certificate));
      if (lc->no_expiry)
        out.notes.push_back(
            "certificate with notAfter 99991231235959Z (no expiry) loaded with the stand-in " +
            std::string(kNoExpiryStandIn));
    } else {
      Reader check(cert.der, 0, ctx.limits.max_depth);  // must at least be one DER element
      check.expect(tag::kSequence, "certificate");
      check.expect_end("certificate");
      out.notes.push_back("certificate kept as DER only, Botan rejects it: " + lc.error().message);
    }
    out.certs.push_back(std::move(cert));
  } else if (type == oid::kSafeContentsBag) {
    read_safe_contents(value, ctx, out);
  } else if (type == oid::kCrlBag) {
    out.notes.push_back("skipped CRL bag");
  } else if (type == oid::kSecretBag) {
    out.notes.push_back("skipped secret bag");
  } else {
    out.notes.push_back("skipped bag of unknown type " + type);
  }
}

void read_safe_contents(const Tlv& seq, const BagContext& ctx, BagCollection& out) {
  if (seq.id != tag::kSequence) malformed("bad SafeContents");
  Reader r(seq.content, seq.depth + 1, ctx.limits.max_depth);
  while (!r.empty()) {
    Tlv bag = r.expect(tag::kSequence, "SafeBag");
    if (!ctx.probe) {
      read_bag(bag, ctx, out);
      continue;
    }
    try {
      read_bag(bag, ctx, out);
    } catch (const Failure& f) {
      if (f.error().code == kLimitExceeded) throw;
    }
  }
}

Tlv single_child(ByteView bytes, std::size_t depth, const Pkcs12Limits& limits, const char* what) {
  Reader r(bytes, depth, limits.max_depth);
  Tlv t = r.expect(tag::kSequence, what);
  r.expect_end(what);
  return t;
}

void read_content_info(const Tlv& ci, std::size_t depth, const BagContext& ctx,
                       BagCollection& out) {
  Reader r(ci.content, ci.depth + 1, ctx.limits.max_depth);
  const std::string type = oid_string(r.expect(tag::kOid, "ContentInfo type"));
  Tlv wrapper = r.expect(tag::kContext0, "ContentInfo content");
  r.expect_end("ContentInfo");
  Reader wr(wrapper.content, wrapper.depth + 1, ctx.limits.max_depth);
  Tlv content = wr.next("ContentInfo content");
  if (type == oid::kData) {
    if ((content.id & 0x1F) != tag::kOctetString) malformed("bad data content");
    const Bytes safe = octets(content, ctx.limits.max_depth);
    read_safe_contents(single_child(safe, depth, ctx.limits, "SafeContents"), ctx, out);
  } else if (type == oid::kEncryptedData) {
    ++out.encrypted_elements;
    if (content.id != tag::kSequence) malformed("bad EncryptedData");
    Reader er(content.content, content.depth + 1, ctx.limits.max_depth);
    er.expect(tag::kInteger, "EncryptedData version");
    Tlv eci = er.expect(tag::kSequence, "EncryptedContentInfo");
    Reader ei(eci.content, eci.depth + 1, ctx.limits.max_depth);
    oid_string(ei.expect(tag::kOid, "encrypted content type"));
    Tlv alg = ei.expect(tag::kSequence, "content encryption algorithm");
    if (ei.empty()) malformed("EncryptedData without content");
    Tlv ct = ei.next("encrypted content");
    if (ct.id != tag::kContext0Prim && ct.id != tag::kContext0) malformed("bad encrypted content");
    const SecureBytes plain =
        pbe_decrypt(alg, octets(ct, ctx.limits.max_depth), ctx.password, ctx.limits, ctx.budget);
    const Tlv safe = single_child(plain, depth, ctx.limits, "decrypted SafeContents");
    ++out.decrypted_ok;
    read_safe_contents(safe, ctx, out);
  } else if (type == oid::kEnvelopedData) {
    fail(kUnsupported, "public-key privacy mode (envelopedData) is not supported");
  } else {
    fail(kUnsupported, "AuthenticatedSafe content type " + type + " is not supported");
  }
}

}  // namespace

void read_authenticated_safe(ByteView auth_safe, std::size_t depth, const BagContext& ctx,
                             BagCollection& out) {
  const Tlv seq = single_child(auth_safe, depth, ctx.limits, "AuthenticatedSafe");
  Reader r(seq.content, seq.depth + 1, ctx.limits.max_depth);
  while (!r.empty()) {
    Tlv ci = r.expect(tag::kSequence, "ContentInfo");
    if (!ctx.probe) {
      read_content_info(ci, depth, ctx, out);
      continue;
    }
    try {
      read_content_info(ci, depth, ctx, out);
    } catch (const Failure& f) {
      if (f.error().code == kLimitExceeded) throw;
    }
  }
}

}  // namespace smimegw::cms::pkcs12_detail
