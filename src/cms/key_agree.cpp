// cms (private): KeyAgreeRecipientInfo (RFC 5652 §6.2.2) with ECDH ephemeral-static
// (RFC 5753 §3.1): dhSinglePass-stdDH-sha*kdf-scheme, X9.63 KDF (Botan's KDF2) over
// ECC-CMS-SharedInfo, AES key wrap (RFC 3394).
#include <botan/cipher_mode.h>
#include <botan/ec_group.h>
#include <botan/ecdh.h>
#include <botan/ecdsa.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/rfc3394.h>

#include <algorithm>

#include "common.hpp"
#include "public_key_cache.hpp"
#include "recipient_info.hpp"

namespace smimegw::cms::detail {

namespace {

struct KdfRow {
  DigestAlgorithm d;
  std::string_view oid;
};
constexpr KdfRow kKdfs[] = {{DigestAlgorithm::sha1, oid::kEcdhSha1Kdf},
                            {DigestAlgorithm::sha224, oid::kEcdhSha224Kdf},
                            {DigestAlgorithm::sha256, oid::kEcdhSha256Kdf},
                            {DigestAlgorithm::sha384, oid::kEcdhSha384Kdf},
                            {DigestAlgorithm::sha512, oid::kEcdhSha512Kdf}};

std::string_view wrap_oid(KeyWrap w) {
  switch (w) {
    case KeyWrap::aes128:
      return oid::kAes128Wrap;
    case KeyWrap::aes192:
      return oid::kAes192Wrap;
    case KeyWrap::aes256:
      return oid::kAes256Wrap;
  }
  return oid::kAes256Wrap;
}

constexpr std::string_view k3desWrap = "1.2.840.113549.1.9.16.3.6";  // RFC 3217 §3

std::size_t wrap_len(std::string_view o) {
  return o == k3desWrap ? 24 : aes_wrap_len(o);
}

/// ECC-CMS-SharedInfo: keyInfo (the wrap AlgorithmIdentifier as encoded), [0] ukm, [2] KEK bits.
std::vector<std::uint8_t> shared_info(std::span<const std::uint8_t> wrap_alg_der,
                                      std::optional<std::span<const std::uint8_t>> ukm,
                                      std::size_t kek_len) {
  std::vector<der::Node> s;
  s.push_back(der::Node::raw_ref(wrap_alg_der));
  if (ukm) {
    std::vector<der::Node> u;
    u.push_back(der::Node::prim_ref(der::kOctetString, *ukm));
    s.push_back(der::Node::cons(der::ctx(0, true), std::move(u)));
  }
  const std::uint32_t bits = static_cast<std::uint32_t>(kek_len * 8);
  std::vector<der::Node> p;
  p.push_back(der::octet_string(
      {static_cast<std::uint8_t>(bits >> 24), static_cast<std::uint8_t>(bits >> 16),
       static_cast<std::uint8_t>(bits >> 8), static_cast<std::uint8_t>(bits)}));
  s.push_back(der::Node::cons(der::ctx(2, true), std::move(p)));
  return der::Node::cons(der::kSequence, std::move(s)).encode();
}

Botan::SymmetricKey derive_kek(const Botan::ECDH_PrivateKey& priv,
                               std::span<const std::uint8_t> peer_point, DigestAlgorithm kdf,
                               std::span<const std::uint8_t> info, std::size_t kek_len,
                               Botan::RandomNumberGenerator& rng) {
  Botan::PK_Key_Agreement ka(priv, rng, "KDF2(" + std::string(botan_name(kdf)) + ")");
  return ka.derive_key(kek_len, peer_point.data(), peer_point.size(), info.data(), info.size());
}

/// RFC 3217 §3.2 Triple-DES key unwrap (what OpenSSL uses for 3DES content with ECDH);
/// decrypt-only.
Cek des3_unwrap(const std::vector<std::uint8_t>& wrapped, const Botan::SymmetricKey& kek) {
  if (wrapped.size() != 40) throw std::runtime_error("bad 3DES wrapped key length");
  static const std::uint8_t kIv[8] = {0x4a, 0xdd, 0xa2, 0x2c, 0x79, 0xe8, 0x21, 0x05};
  auto cbc = [&](Botan::secure_vector<std::uint8_t> data, std::span<const std::uint8_t> iv) {
    auto m = Botan::Cipher_Mode::create_or_throw("TripleDES/CBC/NoPadding", Botan::DECRYPTION);
    m->set_key(kek);
    m->start(iv.data(), iv.size());
    m->finish(data);
    return data;
  };
  auto temp3 = cbc(Botan::secure_vector<std::uint8_t>(wrapped.begin(), wrapped.end()), kIv);
  std::reverse(temp3.begin(), temp3.end());
  auto cekicv = cbc(Botan::secure_vector<std::uint8_t>(temp3.begin() + 8, temp3.end()),
                    std::span<const std::uint8_t>(temp3.data(), 8));
  Cek cek(cekicv.begin(), cekicv.begin() + 24);
  auto sha1 = Botan::HashFunction::create_or_throw("SHA-1");
  const auto icv = sha1->process(cek);
  if (!std::equal(icv.begin(), icv.begin() + 8, cekicv.begin() + 24))
    throw std::runtime_error("3DES key unwrap integrity check failed");
  return cek;
}

bool supported_curve(const Botan::EC_Group& g) {
  const auto o = g.get_curve_oid().to_string();
  return o == oid::kP256 || o == oid::kP384 || o == "1.3.132.0.35";
}

}  // namespace

core::Result<der::Node> make_kari(const RecipientSpec& r, const Cek& cek,
                                  Botan::RandomNumberGenerator& rng) {
  auto pub = public_key_of(r.certificate);
  const auto* ec = dynamic_cast<const Botan::EC_PublicKey*>(pub.get());
  if (!ec) return err(errc::kKeyMismatch, "recipient key is not an EC key");
  if (!supported_curve(ec->domain()))
    return err(errc::kUnsupportedAlgorithm, "unsupported EC curve");
  auto rid = identifier(r.certificate, r.rid);
  if (!rid) return rid.error();
  std::string_view kdf_oid;
  for (const auto& k : kKdfs)
    if (k.d == r.kdf) kdf_oid = k.oid;
  const auto wrap_alg = der::alg(wrap_oid(r.wrap)).encode();
  const std::size_t kek_len = wrap_len(wrap_oid(r.wrap));
  if (cek.size() % 8 != 0 || cek.size() < 16)
    return err(errc::kInvalidArgument, "CEK unsuitable for key wrap");

  Botan::ECDH_PrivateKey eph(rng, ec->domain());
  const auto peer = ec->public_point().encode(Botan::PointGFp::UNCOMPRESSED);
  const auto info = shared_info(wrap_alg, std::nullopt, kek_len);
  const auto kek = derive_kek(eph, peer, r.kdf, info, kek_len, rng);
  const auto wrapped = Botan::rfc3394_keywrap(cek, kek);

  // originator [0] EXPLICIT { originatorKey [1] IMPLICIT { id-ecPublicKey, BIT STRING } }
  std::vector<std::uint8_t> bits{0};
  const auto point = eph.public_value();
  bits.insert(bits.end(), point.begin(), point.end());
  std::vector<der::Node> opk;
  opk.push_back(der::alg(oid::kEcPublicKey));
  opk.push_back(der::Node::prim(der::kBitString, std::move(bits)));
  std::vector<der::Node> orig;
  orig.push_back(der::Node::cons(der::ctx(1, true), std::move(opk)));

  std::vector<der::Node> rek;
  if (r.rid == SignerIdKind::issuer_serial) {
    rek.push_back(std::move(*rid));
  } else {  // rKeyId [0] IMPLICIT RecipientKeyIdentifier { subjectKeyIdentifier }
    std::vector<der::Node> rk;
    rk.push_back(der::octet_string(r.certificate.subject_key_id()));
    rek.push_back(der::Node::cons(der::ctx(0, true), std::move(rk)));
  }
  rek.push_back(der::octet_string(std::vector<std::uint8_t>(wrapped.begin(), wrapped.end())));
  std::vector<der::Node> reks;
  reks.push_back(der::Node::cons(der::kSequence, std::move(rek)));

  std::vector<der::Node> k;
  k.push_back(der::integer(3));
  k.push_back(der::Node::cons(der::ctx(0, true), std::move(orig)));
  k.push_back(der::alg(kdf_oid, der::Node::raw(wrap_alg)));
  k.push_back(der::Node::cons(der::kSequence, std::move(reks)));
  return der::Node::cons(der::ctx(1, true), std::move(k));
}

core::Result<std::optional<Cek>> try_kari(const ber::Tlv& ri, const DecryptKey& key,
                                          Botan::RandomNumberGenerator& rng, std::string& kind) {
  ber::Reader r(ri.content);
  auto version = r.next();
  if (!version) return version.error();
  auto orig = r.expect(ber::kContext, 0, "originator");
  if (!orig) return orig.error();
  std::optional<std::span<const std::uint8_t>> ukm;
  std::vector<std::uint8_t> ukm_storage;
  if (auto u = r.next_if(ber::kContext, 1)) {
    ber::Reader ur(u->content);
    auto os = ur.expect(ber::kUniversal, ber::kOctetString, "ukm");
    if (!os) return os.error();
    auto b = ber::octets(*os, ukm_storage);
    if (!b) return b.error();
    ukm = *b;
  }
  auto alg_tlv = r.next();
  if (!alg_tlv) return alg_tlv.error();
  auto alg = ber::alg_id(*alg_tlv);
  if (!alg) return alg.error();
  auto reks = r.expect(ber::kUniversal, ber::kSequence, "recipientEncryptedKeys");
  if (!reks) return reks.error();

  // Find our RecipientEncryptedKey first: a kari for somebody else is not an error.
  std::optional<std::vector<std::uint8_t>> ek;
  ber::Reader rr(reks->content);
  while (!rr.at_end()) {
    auto rek = rr.next();
    if (!rek) return rek.error();
    ber::Reader er(rek->content);
    auto rid_tlv = er.next();
    if (!rid_tlv) return rid_tlv.error();
    SignerId rid;
    if (rid_tlv->is(ber::kContext, 0)) {  // rKeyId
      ber::Reader kr(rid_tlv->content);
      auto ski = kr.expect(ber::kUniversal, ber::kOctetString, "rKeyId");
      if (!ski) return ski.error();
      auto s = ber::octets_copy(*ski);
      if (!s) return s.error();
      rid.subject_key_id = std::move(*s);
    } else {
      auto p = parse_identifier(*rid_tlv);
      if (!p) return p.error();
      rid = std::move(*p);
    }
    auto k = er.expect(ber::kUniversal, ber::kOctetString, "encryptedKey");
    if (!k) return k.error();
    if (matches(rid, key.certificate)) {
      auto v = ber::octets_copy(*k);
      if (!v) return v.error();
      ek = std::move(*v);
      break;
    }
  }
  const auto* ec_priv = dynamic_cast<const Botan::EC_PrivateKey*>(key.key);
  if (!ek || !ec_priv) return std::optional<Cek>{};
  kind = "kari-ecdh";

  std::optional<DigestAlgorithm> kdf;
  for (const auto& k : kKdfs)
    if (k.oid == alg->oid) kdf = k.d;
  if (!kdf)
    return err(errc::kUnsupportedAlgorithm, "unsupported key agreement algorithm " + alg->oid);
  if (!alg->params) return err(errc::kMalformed, "key agreement without key wrap algorithm");
  auto wrap = ber::alg_id(*alg->params);
  if (!wrap) return wrap.error();
  const std::size_t kek_len = wrap_len(wrap->oid);
  if (!kek_len)
    return err(errc::kUnsupportedAlgorithm, "unsupported key wrap algorithm " + wrap->oid);

  // originator: only originatorKey [1] is meaningful for ephemeral-static.
  ber::Reader orr(orig->content);
  auto ok = orr.expect(ber::kContext, 1, "originatorKey");
  if (!ok) return ok.error();
  ber::Reader okr(ok->content);
  auto oalg = okr.next();
  if (!oalg) return oalg.error();
  auto bits = okr.expect(ber::kUniversal, ber::kBitString, "originator public key");
  if (!bits) return bits.error();
  if (bits->constructed || bits->content.size() < 2 || bits->content[0] != 0)
    return err(errc::kMalformed, "bad originator public key");
  const auto point = bits->content.subspan(1);

  Botan::ECDH_PrivateKey ecdh(rng, ec_priv->domain(), ec_priv->private_value());
  const auto info = shared_info(wrap->whole, ukm, kek_len);
  Botan::SymmetricKey kek;
  try {
    kek = derive_kek(ecdh, point, *kdf, info, kek_len, rng);
  } catch (const std::exception&) {
    return err(errc::kDecryptFailed, "key agreement failed (bad originator point)");
  }
  try {
    if (wrap->oid == k3desWrap) return std::optional<Cek>(des3_unwrap(*ek, kek));
    return std::optional<Cek>(
        Botan::rfc3394_keyunwrap(Botan::secure_vector<std::uint8_t>(ek->begin(), ek->end()), kek));
  } catch (const std::exception&) {
    return err(errc::kDecryptFailed, "key unwrap failed");
  }
}

}  // namespace smimegw::cms::detail
