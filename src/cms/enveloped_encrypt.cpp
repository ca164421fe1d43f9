// cms: EnvelopedData / AuthEnvelopedData creation (RFC 5652 §6, RFC 5083).
#include <algorithm>

#include "common.hpp"
#include "content_cipher.hpp"
#include "public_key_cache.hpp"
#include "recipient_info.hpp"
#include "smimegw/cms/enveloped_data.hpp"

namespace smimegw::cms {

namespace {

core::Result<std::vector<std::uint8_t>> encrypt_impl(std::span<const std::uint8_t> content,
                                                     const std::vector<RecipientSpec>& recipients,
                                                     const EncryptOptions& o,
                                                     Botan::RandomNumberGenerator& rng) {
  using detail::err;
  if (recipients.empty() && o.kek_recipients.empty())
    return err(errc::kInvalidArgument, "encrypt: no recipients");
  if (o.cipher == ContentCipher::des3_cbc)
    return err(errc::kUnsupportedAlgorithm, "3DES is decrypt-only");
  const auto cek = rng.random_vec(key_length(o.cipher));
  std::vector<der::Node> ris;
  bool v2 = false;
  for (const auto& r : recipients) {
    auto pub = detail::public_key_of(r.certificate);
    const std::string algo = pub->algo_name();
    core::Result<der::Node> ri = err(errc::kInternal, "unset");
    if (algo == "RSA") {
      ri = detail::make_ktri(r, cek, rng);
      if (r.rid == SignerIdKind::subject_key_id) v2 = true;
    } else if (algo == "ECDSA" || algo == "ECDH") {
      ri = detail::make_kari(r, cek, rng);
      v2 = true;
    } else {
      return err(errc::kKeyMismatch, "recipient key type " + algo + " cannot receive mail");
    }
    if (!ri) return ri.error();
    ris.push_back(std::move(*ri));
  }
  for (const auto& k : o.kek_recipients) {
    auto ri = detail::make_kekri(k, cek);
    if (!ri) return ri.error();
    ris.push_back(std::move(*ri));
    v2 = true;  // RFC 5652 §6.1: a version-4 RecipientInfo makes EnvelopedData version 2
  }
  const bool aead = is_aead(o.cipher);
  // RFC 5083 §2.1: authAttrs (with contentType) are required when the content is not id-data.
  std::vector<std::uint8_t> auth_attrs;
  if (aead && (o.auth_attributes || o.content_type != oid::kData)) {
    std::vector<der::Node> v;
    v.push_back(der::oid(o.content_type));
    std::vector<der::Node> a;
    a.push_back(der::oid(oid::kContentType));
    a.push_back(der::Node::set_of(std::move(v)));
    std::vector<der::Node> attrs;
    attrs.push_back(der::Node::cons(der::kSequence, std::move(a)));
    auth_attrs = der::Node::set_of(std::move(attrs)).encode();  // the AAD is the SET OF form
  }
  auto enc = detail::ContentEncryption::start(o.cipher, cek, rng, auth_attrs);
  if (!enc) return enc.error();

  // The ciphertext and the GCM tag are produced in place inside the final DER buffer: the
  // content is copied once (into the output) and never held a third time (25 MiB budget).
  std::size_t ct_at = 0, tag_at = 0;
  const std::size_t ct_size = enc->ciphertext_size(content.size());
  std::vector<der::Node> eci;
  eci.push_back(der::oid(o.content_type));
  eci.push_back(der::Node::raw_ref(enc->algorithm_der()));
  eci.push_back(der::Node::hole(der::ctx(0, false), ct_size, &ct_at));

  std::vector<der::Node> body;
  body.push_back(der::integer(aead ? 0 : (v2 ? 2 : 0)));
  body.push_back(der::Node::set_of(std::move(ris)));
  body.push_back(der::Node::cons(der::kSequence, std::move(eci)));
  if (!auth_attrs.empty()) {
    std::vector<std::uint8_t> implicit = auth_attrs;  // the AAD stays the SET OF form
    implicit[0] = der::ctx(1, true);
    body.push_back(der::Node::raw(std::move(implicit)));
  }
  if (aead) body.push_back(der::Node::hole(der::kOctetString, enc->tag_size(), &tag_at));

  std::vector<der::Node> wrap;
  wrap.push_back(der::Node::cons(der::kSequence, std::move(body)));
  std::vector<der::Node> ci;
  ci.push_back(der::oid(aead ? oid::kAuthEnvelopedData : oid::kEnvelopedData));
  ci.push_back(der::Node::cons(der::ctx(0, true), std::move(wrap)));
  std::vector<std::uint8_t> out = der::Node::cons(der::kSequence, std::move(ci)).encode();
  std::span<std::uint8_t> ct(out.data() + ct_at, ct_size);
  std::copy(content.begin(), content.end(), ct.begin());
  enc->run(ct, content.size(), std::span<std::uint8_t>(out.data() + tag_at, enc->tag_size()));
  return out;
}

}  // namespace

core::Result<std::vector<std::uint8_t>> encrypt(std::span<const std::uint8_t> content,
                                                const std::vector<RecipientSpec>& recipients,
                                                const EncryptOptions& o,
                                                Botan::RandomNumberGenerator& rng) {
  return detail::guarded(errc::kInternal, "encrypt",
                         [&] { return encrypt_impl(content, recipients, o, rng); });
}

}  // namespace smimegw::cms
