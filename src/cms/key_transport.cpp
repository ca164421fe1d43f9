// cms (private): KeyTransRecipientInfo (RFC 5652 §6.2.1) with RSA PKCS#1 v1.5 (RFC 3370) and
// RSAES-OAEP (RFC 3560).
#include <botan/hash.h>
#include <botan/oaep.h>
#include <botan/pk_keys.h>
#include <botan/pubkey.h>

#include "common.hpp"
#include "decryptor_pool.hpp"
#include "public_key_cache.hpp"
#include "recipient_info.hpp"

namespace smimegw::cms::detail {

namespace {

/// RSAES-OAEP-params for hash (MGF1 with the same hash, empty label). SHA-1 = all defaults.
der::Node oaep_params(DigestAlgorithm d) {
  std::vector<der::Node> p;
  if (d != DigestAlgorithm::sha1) {
    std::vector<der::Node> h;
    h.push_back(der::alg(oid_of(d)));
    p.push_back(der::Node::cons(der::ctx(0, true), std::move(h)));
    std::vector<der::Node> m;
    m.push_back(der::alg(oid::kMgf1, der::alg(oid_of(d))));
    p.push_back(der::Node::cons(der::ctx(1, true), std::move(m)));
  }
  return der::Node::cons(der::kSequence, std::move(p));
}

core::Result<DigestAlgorithm> hash_of(const ber::Tlv& algid) {
  auto a = ber::alg_id(algid);
  if (!a) return a.error();
  auto d = digest_from_oid(a->oid);
  if (!d) return err(errc::kUnsupportedAlgorithm, "unsupported OAEP hash " + a->oid);
  return *d;
}

struct OaepParams {
  DigestAlgorithm hash = DigestAlgorithm::sha1, mgf = DigestAlgorithm::sha1;
  std::string label;  // binary
};

/// RSAES-OAEP-params (RFC 4055 §4.1), defaults SHA-1 / MGF1-SHA-1 / empty label.
core::Result<OaepParams> oaep_params_of(const std::optional<ber::Tlv>& params) {
  OaepParams out;
  DigestAlgorithm& hash = out.hash;
  DigestAlgorithm& mgf = out.mgf;
  std::string& label = out.label;
  if (params && params->is_universal(ber::kSequence)) {
    ber::Reader r(params->content);
    while (!r.at_end()) {
      auto f = r.next();
      if (!f) return f.error();
      if (f->cls != ber::kContext) return err(errc::kMalformed, "bad RSAES-OAEP-params");
      ber::Reader in(f->content);
      auto v = in.next();
      if (!v) return v.error();
      if (f->tag == 0) {
        auto h = hash_of(*v);
        if (!h) return h.error();
        hash = *h;
      } else if (f->tag == 1) {
        auto m = ber::alg_id(*v);
        if (!m) return m.error();
        if (m->oid != oid::kMgf1 || !m->params)
          return err(errc::kUnsupportedAlgorithm, "unsupported OAEP mask " + m->oid);
        auto h = hash_of(*m->params);
        if (!h) return h.error();
        mgf = *h;
      } else if (f->tag == 2) {
        auto p = ber::alg_id(*v);
        if (!p) return p.error();
        if (p->oid != oid::kPSpecified)
          return err(errc::kUnsupportedAlgorithm, "unsupported OAEP pSource");
        if (p->params) {
          auto l = ber::octets_copy(*p->params);
          if (!l) return l.error();
          label.assign(l->begin(), l->end());
        }
      }
    }
  }
  return out;
}

/// OAEP with a label: Botan's EME names cannot carry binary labels, so decrypt raw and unpad with
/// an OAEP object built directly. A bad padding gives a random key like the other paths.
Cek oaep_labelled_decrypt(const Botan::Private_Key& key, const std::vector<std::uint8_t>& ek,
                          const OaepParams& p, std::size_t cek_len,
                          Botan::RandomNumberGenerator& rng) {
  Botan::PK_Decryptor_EME raw(key, rng, "Raw");
  auto m = raw.decrypt(ek.data(), ek.size());
  const std::size_t k = (key.key_length() + 7) / 8;
  if (m.size() < k) m.insert(m.begin(), k - m.size(), 0);
  Botan::OAEP oaep(Botan::HashFunction::create_or_throw(std::string(botan_name(p.hash))).release(),
                   Botan::HashFunction::create_or_throw(std::string(botan_name(p.mgf))).release(),
                   p.label);
  std::uint8_t valid = 0;
  auto cek = static_cast<const Botan::EME&>(oaep).unpad(valid, m.data(), m.size());
  if (valid != 0xFF || cek.size() != cek_len) return rng.random_vec(cek_len);
  return cek;
}

}  // namespace

core::Result<der::Node> make_ktri(const RecipientSpec& r, const Cek& cek,
                                  Botan::RandomNumberGenerator& rng) {
  auto rid = identifier(r.certificate, r.rid);
  if (!rid) return rid.error();
  auto pub = public_key_of(r.certificate);
  std::string eme;
  std::vector<std::uint8_t> alg;
  switch (r.rsa) {
    case KeyTransport::rsa_pkcs1v15:
      eme = "EME-PKCS1-v1_5";
      alg = der::alg(oid::kRsaEncryption, true).encode();
      break;
    case KeyTransport::rsa_oaep_sha1:
      eme = "OAEP(SHA-1)";
      alg = der::alg(oid::kRsaOaep, oaep_params(DigestAlgorithm::sha1)).encode();
      break;
    case KeyTransport::rsa_oaep_sha256:
      eme = "OAEP(SHA-256)";
      alg = der::alg(oid::kRsaOaep, oaep_params(DigestAlgorithm::sha256)).encode();
      break;
  }
  Botan::PK_Encryptor_EME enc(*pub, rng, eme);
  const auto wrapped = enc.encrypt(cek, rng);
  std::vector<der::Node> k;
  k.push_back(der::integer(r.rid == SignerIdKind::issuer_serial ? 0 : 2));
  k.push_back(std::move(*rid));
  k.push_back(der::Node::raw(std::move(alg)));
  k.push_back(der::octet_string(wrapped));
  return der::Node::cons(der::kSequence, std::move(k));
}

core::Result<std::optional<Cek>> try_ktri(const ber::Tlv& ri, const DecryptKey& key,
                                          std::size_t cek_len, Botan::RandomNumberGenerator& rng,
                                          std::string& kind) {
  ber::Reader r(ri.content);
  auto version = r.next();
  if (!version) return version.error();
  auto rid_tlv = r.next();
  if (!rid_tlv) return rid_tlv.error();
  auto rid = parse_identifier(*rid_tlv);
  if (!rid) return rid.error();
  auto alg_tlv = r.next();
  if (!alg_tlv) return alg_tlv.error();
  auto alg = ber::alg_id(*alg_tlv);
  if (!alg) return alg.error();
  auto ek_tlv = r.expect(ber::kUniversal, ber::kOctetString, "encryptedKey");
  if (!ek_tlv) return ek_tlv.error();
  if (!matches(*rid, key.certificate) || key.key->algo_name() != "RSA") return std::optional<Cek>{};
  auto ek = ber::octets_copy(*ek_tlv);
  if (!ek) return ek.error();
  std::string eme;
  if (alg->oid == oid::kRsaEncryption) {
    eme = "EME-PKCS1-v1_5";
    kind = "ktri-rsa-pkcs1v15";
  } else if (alg->oid == oid::kRsaOaep) {
    auto p = oaep_params_of(alg->params);
    if (!p) return p.error();
    kind = "ktri-rsa-oaep";
    if (!p->label.empty())
      return std::optional<Cek>(oaep_labelled_decrypt(*key.key, *ek, *p, cek_len, rng));
    eme = "OAEP(" + std::string(botan_name(p->hash)) + ",MGF1(" + std::string(botan_name(p->mgf)) +
          "))";
  } else {
    return err(errc::kUnsupportedAlgorithm, "unsupported key transport algorithm " + alg->oid);
  }
  // Constant time: a bad padding yields a random key, which then fails on the content. A
  // ciphertext the key cannot even take (longer than the modulus) goes the same way.
  try {
    return std::optional<Cek>(
        pooled_decrypt_or_random(*key.key, eme, ek->data(), ek->size(), cek_len));
  } catch (const Botan::Invalid_Argument&) {  // Decoding_Error derives from it
    return std::optional<Cek>(rng.random_vec(cek_len));
  }
}

}  // namespace smimegw::cms::detail
