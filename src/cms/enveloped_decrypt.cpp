// cms: EnvelopedData / AuthEnvelopedData decryption (RFC 5652 §6, RFC 5083/5084).
// Order: parse everything, find our RecipientInfo, recover the CEK, decrypt the content in place.
#include "common.hpp"
#include "content_cipher.hpp"
#include "recipient_info.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/enveloped_data.hpp"

namespace smimegw::cms {

namespace {

using detail::err;

core::Result<Decrypted> decrypt_impl(std::span<const std::uint8_t> cms, const DecryptKey& key,
                                     Botan::RandomNumberGenerator& rng, const DecryptOptions& o) {
  if (!key.key && !key.kek) return err(errc::kInvalidArgument, "decrypt: no private key");
  auto ci = parse_content_info(cms, o.limits);
  if (!ci) return ci.error();
  const bool auth = ci->content_type == oid::kAuthEnvelopedData;
  if (!auth && ci->content_type != oid::kEnvelopedData)
    return err(errc::kUnsupportedContentType,
               "not EnvelopedData/AuthEnvelopedData: " + ci->content_type);
  auto ed = ber::read_tlv(ci->content, o.limits.max_depth);
  if (!ed) return ed.error();
  if (!ed->is_universal(ber::kSequence))
    return err(errc::kMalformed, "EnvelopedData is not a SEQUENCE");
  ber::Reader r(ed->content);
  auto version = r.next();
  if (!version) return version.error();
  if (auto v = ber::small_int(*version); !v) return v.error();
  (void)r.next_if(ber::kContext, 0);  // originatorInfo
  auto ris = r.expect(ber::kUniversal, ber::kSet, "recipientInfos");
  if (!ris) return ris.error();
  auto eci = r.expect(ber::kUniversal, ber::kSequence, "encryptedContentInfo");
  if (!eci) return eci.error();
  std::optional<ber::Tlv> auth_attrs;
  std::vector<std::uint8_t> mac;
  if (auth) {
    auth_attrs = r.next_if(ber::kContext, 1);
    auto m = r.expect(ber::kUniversal, ber::kOctetString, "mac");
    if (!m) return m.error();
    auto mv = ber::octets_copy(*m);
    if (!mv) return mv.error();
    mac = std::move(*mv);
  }

  Decrypted out;
  ber::Reader er(eci->content);
  auto ct = er.next();
  if (!ct) return ct.error();
  auto cts = ber::oid_string(*ct);
  if (!cts) return cts.error();
  out.content_type = *cts;
  auto alg_tlv = er.next();
  if (!alg_tlv) return alg_tlv.error();
  auto alg = ber::alg_id(*alg_tlv);
  if (!alg) return alg.error();
  auto cipher = cipher_from_oid(alg->oid);
  if (!cipher)
    return err(errc::kUnsupportedAlgorithm, "unsupported content encryption algorithm " + alg->oid);
  if (is_aead(*cipher) != auth)
    return err(errc::kUnsupportedAlgorithm, "content cipher does not fit the content type");
  if (*cipher == ContentCipher::des3_cbc && !o.allow_3des)
    return err(errc::kWeakAlgorithm, "3DES content encryption is not accepted");
  out.cipher = *cipher;
  out.authenticated = auth;
  auto enc = er.next_if(ber::kContext, 0);
  if (!enc)
    return err(errc::kMissingContent, "no encryptedContent (detached ciphertext is not supported)");

  // Our RecipientInfo.
  auto list = ber::children(*ris, o.limits.max_recipients);
  if (!list) return list.error();
  std::optional<detail::Cek> cek;
  for (const auto& ri : *list) {
    core::Result<std::optional<detail::Cek>> got = std::optional<detail::Cek>{};
    if (key.key && ri.is_universal(ber::kSequence))
      got = detail::try_ktri(ri, key, key_length(*cipher), rng, out.recipient_kind);
    else if (key.key && ri.is(ber::kContext, 1))
      got = detail::try_kari(ri, key, rng, out.recipient_kind);
    else if (key.kek && ri.is(ber::kContext, 2))
      got = detail::try_kekri(ri, key, out.recipient_kind);
    if (!got) return got.error();
    if (*got) {
      cek = std::move(**got);
      break;
    }
  }
  if (!cek) return err(errc::kNoMatchingRecipient, "no RecipientInfo for this certificate and key");

  // Ciphertext: in place in one buffer (the concatenation when it came in BER chunks).
  std::vector<std::uint8_t> data;
  {
    std::vector<std::uint8_t> storage;
    ber::Tlv as_octets = *enc;
    as_octets.cls = ber::kUniversal;
    as_octets.tag = ber::kOctetString;
    auto b = ber::octets(as_octets, storage);
    if (!b) return b.error();
    if (b->data() == storage.data())
      data = std::move(storage);
    else
      data.assign(b->begin(), b->end());
  }
  std::vector<std::uint8_t> aad;
  if (auth_attrs) {
    aad.assign(auth_attrs->whole.begin(), auth_attrs->whole.end());
    aad[0] = 0x31;  // RFC 5083 §2.2: the DER SET OF, not the [1] IMPLICIT form
  }
  auto s = detail::decrypt_content(*cipher, *alg, *cek, data, aad, mac);
  if (!s) return s.error();
  out.content = std::move(data);
  return out;
}

}  // namespace

core::Result<Decrypted> decrypt(std::span<const std::uint8_t> cms, const DecryptKey& key,
                                Botan::RandomNumberGenerator& rng, const DecryptOptions& o) {
  return detail::guarded(errc::kInternal, "decrypt",
                         [&] { return decrypt_impl(cms, key, rng, o); });
}

}  // namespace smimegw::cms
