// cms (private): KEKRecipientInfo (RFC 5652 §6.2.3) — the CEK wrapped with AES key wrap
// (RFC 3394, RFC 3565 §2.3.2: id-aes*-wrap, parameters absent) under a symmetric key both sides
// already hold, named by the KEKIdentifier's keyIdentifier. The optional date and other key
// attribute are written never and ignored when read.
#include <botan/rfc3394.h>

#include "common.hpp"
#include "recipient_info.hpp"

namespace smimegw::cms::detail {

namespace {

std::string_view wrap_oid_for(std::size_t kek_len) {
  switch (kek_len) {
    case 16:
      return oid::kAes128Wrap;
    case 24:
      return oid::kAes192Wrap;
    case 32:
      return oid::kAes256Wrap;
    default:
      return {};
  }
}

}  // namespace

core::Result<der::Node> make_kekri(const KekRecipient& r, const Cek& cek) {
  const auto wrap = wrap_oid_for(r.kek.size());
  if (wrap.empty())
    return err(errc::kInvalidArgument, "a key-encryption key must have 16, 24 or 32 bytes, not " +
                                           std::to_string(r.kek.size()));
  if (r.key_id.empty()) return err(errc::kInvalidArgument, "a key-encryption key needs an id");
  const auto wrapped = Botan::rfc3394_keywrap(cek, Botan::SymmetricKey(r.kek));
  std::vector<der::Node> kekid;
  kekid.push_back(der::octet_string(r.key_id));
  std::vector<der::Node> k;
  k.push_back(der::integer(4));
  k.push_back(der::Node::cons(der::kSequence, std::move(kekid)));
  k.push_back(der::alg(wrap));
  k.push_back(der::octet_string(std::vector<std::uint8_t>(wrapped.begin(), wrapped.end())));
  return der::Node::cons(der::ctx(2, true), std::move(k));
}

core::Result<std::optional<Cek>> try_kekri(const ber::Tlv& ri, const DecryptKey& key,
                                           std::string& kind) {
  ber::Reader r(ri.content);
  auto version = r.expect(ber::kUniversal, ber::kInteger, "KEKRecipientInfo version");
  if (!version) return version.error();
  auto v = ber::small_int(*version);
  if (!v) return v.error();
  if (*v != 4) return err(errc::kMalformed, "KEKRecipientInfo version must be 4");
  auto kekid = r.expect(ber::kUniversal, ber::kSequence, "KEKIdentifier");
  if (!kekid) return kekid.error();
  ber::Reader ir(kekid->content);
  auto id_tlv = ir.expect(ber::kUniversal, ber::kOctetString, "keyIdentifier");
  if (!id_tlv) return id_tlv.error();
  auto id = ber::octets_copy(*id_tlv);
  if (!id) return id.error();
  auto alg_tlv = r.next();
  if (!alg_tlv) return alg_tlv.error();
  auto alg = ber::alg_id(*alg_tlv);
  if (!alg) return alg.error();
  auto ek_tlv = r.expect(ber::kUniversal, ber::kOctetString, "encryptedKey");
  if (!ek_tlv) return ek_tlv.error();
  if (!key.kek || *id != key.kek_id) return std::optional<Cek>{};
  const std::size_t kek_len = aes_wrap_len(alg->oid);
  if (!kek_len)
    return err(errc::kUnsupportedAlgorithm, "unsupported key wrap algorithm " + alg->oid);
  if (kek_len != key.kek->size())
    return err(errc::kKeyMismatch, "the key-encryption key does not fit " + alg->oid);
  auto ek = ber::octets_copy(*ek_tlv);
  if (!ek) return ek.error();
  kind = "kekri";
  try {
    return std::optional<Cek>(Botan::rfc3394_keyunwrap(
        Botan::secure_vector<std::uint8_t>(ek->begin(), ek->end()), Botan::SymmetricKey(*key.kek)));
  } catch (const std::exception&) {
    return err(errc::kDecryptFailed, "key unwrap failed (wrong key-encryption key)");
  }
}

}  // namespace smimegw::cms::detail
