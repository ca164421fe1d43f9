#include "test_pki.hpp"

#include <botan/auto_rng.h>
#include <botan/der_enc.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/pkix_types.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>

#include <atomic>

namespace smimegw::test {
namespace {

Botan::AutoSeeded_RNG& rng() {
  static thread_local Botan::AutoSeeded_RNG r;
  return r;
}

std::vector<std::uint8_t> tlv(std::uint8_t tag, const std::vector<std::uint8_t>& content) {
  std::vector<std::uint8_t> out{tag};
  auto n = content.size();
  if (n < 128) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n < 256) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    out.push_back(0x82);
    out.push_back(static_cast<std::uint8_t>(n >> 8));
    out.push_back(static_cast<std::uint8_t>(n));
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

std::vector<std::uint8_t> bytes(const std::string& s) {
  return {s.begin(), s.end()};
}

std::vector<std::uint8_t> cat(const std::vector<std::vector<std::uint8_t>>& parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class RawExtension final : public Botan::Certificate_Extension {
 public:
  RawExtension(std::string oid, std::vector<std::uint8_t> value)
      : oid_(std::move(oid)), value_(std::move(value)) {}
  Botan::OID oid_of() const override { return Botan::OID(oid_); }
  std::string oid_name() const override { return "Raw." + oid_; }
  Botan::Certificate_Extension* copy() const override { return new RawExtension(oid_, value_); }
  void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

 private:
  bool should_encode() const override { return true; }
  std::vector<std::uint8_t> encode_inner() const override { return value_; }
  void decode_inner(const std::vector<std::uint8_t>&) override {}
  std::string oid_;
  std::vector<std::uint8_t> value_;
};

std::shared_ptr<Botan::Private_Key> shared_rsa() {
  static std::shared_ptr<Botan::Private_Key> k =
      std::make_shared<Botan::RSA_PrivateKey>(rng(), 2048);
  return k;
}

Botan::X509_DN dn(const std::string& cn, const std::optional<std::string>& email = std::nullopt) {
  Botan::X509_DN d;
  d.add_attribute("X520.Country", "DE");
  d.add_attribute("X520.Organization", "smimegw test");
  d.add_attribute("X520.CommonName", cn);
  if (email) d.add_attribute("PKCS9.EmailAddress", *email);
  return d;
}

std::atomic<std::uint64_t> g_serial{1000};

}  // namespace

std::vector<std::uint8_t> der(const Botan::X509_Certificate& c) {
  return c.BER_encode();
}
std::string as_string(const std::vector<std::uint8_t>& v) {
  return std::string(v.begin(), v.end());
}

Issued issue(const CertSpec& spec, const Issued* issuer) {
  std::shared_ptr<Botan::Private_Key> key =
      spec.rsa ? shared_rsa()
               : std::make_shared<Botan::ECDSA_PrivateKey>(rng(), Botan::EC_Group("secp256r1"));
  const Botan::Private_Key& signing_key = issuer ? *issuer->key : *key;

  Botan::Extensions ext;
  ext.add(new Botan::Cert_Extension::Basic_Constraints(
              spec.ca, spec.path_len.value_or(Botan::Cert_Extension::NO_CERT_PATH_LIMIT)),
          true);
  auto ku = spec.key_usage;
  if (ku == Botan::NO_CONSTRAINTS)
    ku = spec.ca
             ? Botan::Key_Constraints(Botan::KEY_CERT_SIGN | Botan::CRL_SIGN)
             : Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION |
                                      (spec.rsa ? Botan::KEY_ENCIPHERMENT : Botan::KEY_AGREEMENT));
  ext.add(new Botan::Cert_Extension::Key_Usage(ku), true);
  ext.add(new Botan::Cert_Extension::Subject_Key_ID(key->public_key_bits(), "SHA-1"));
  if (issuer) ext.add(new Botan::Cert_Extension::Authority_Key_ID(issuer->cert.subject_key_id()));
  if (!spec.ca && !spec.eku.empty()) {
    std::vector<Botan::OID> oids;
    for (const auto& o : spec.eku) oids.emplace_back(o);
    ext.add(new Botan::Cert_Extension::Extended_Key_Usage(oids));
  }
  if (spec.email) {
    Botan::AlternativeName alt(*spec.email);
    ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(alt));
  }
  if (!spec.crl_urls.empty()) {
    std::vector<std::uint8_t> dps;
    for (const auto& u : spec.crl_urls)
      dps = cat({dps, tlv(0x30, tlv(0xa0, tlv(0xa0, tlv(0x86, bytes(u)))))});
    ext.add(new RawExtension("2.5.29.31", tlv(0x30, dps)));
  }
  if (!spec.aia_urls.empty()) {
    std::vector<std::uint8_t> ads;
    const std::vector<std::uint8_t> ca_issuers = {0x06, 0x08, 0x2b, 0x06, 0x01,
                                                  0x05, 0x05, 0x07, 0x30, 0x02};
    for (const auto& u : spec.aia_urls)
      ads = cat({ads, tlv(0x30, cat({ca_issuers, tlv(0x86, bytes(u))}))});
    ext.add(new RawExtension("1.3.6.1.5.5.7.1.1", tlv(0x30, ads)));
  }

  Botan::AlgorithmIdentifier sig_algo;
  std::unique_ptr<Botan::PK_Signer> signer(
      Botan::choose_sig_format(signing_key, rng(), "SHA-256", sig_algo));
  Botan::X509_DN subject = dn(spec.cn, spec.subject_email);
  Botan::X509_DN issuer_dn = issuer ? issuer->cert.subject_dn() : subject;
  if (!spec.issuer_cn_override.empty()) issuer_dn = dn(spec.issuer_cn_override);
  auto cert = Botan::X509_CA::make_cert(
      signer.get(), rng(), Botan::BigInt(g_serial++), sig_algo, key->subject_public_key(),
      Botan::X509_Time(spec.not_before), Botan::X509_Time(spec.not_after), issuer_dn, subject, ext);
  return {cert, key};
}

namespace {

std::vector<std::uint8_t> crl_with(const Issued& ca,
                                   const std::function<void(Botan::DER_Encoder&)>& entries,
                                   time_point this_update, time_point next_update) {
  Botan::AlgorithmIdentifier sig_algo;
  std::unique_ptr<Botan::PK_Signer> signer(
      Botan::choose_sig_format(*ca.key, rng(), "SHA-256", sig_algo));
  std::vector<std::uint8_t> tbs_bits;
  Botan::DER_Encoder tbs(tbs_bits);
  tbs.start_cons(Botan::SEQUENCE)
      .encode(static_cast<std::size_t>(1))
      .encode(sig_algo)
      .encode(ca.cert.subject_dn())
      .encode(Botan::X509_Time(this_update))
      .encode(Botan::X509_Time(next_update));
  tbs.start_cons(Botan::SEQUENCE);
  entries(tbs);
  tbs.end_cons();
  // crlExtensions [0]: authorityKeyIdentifier
  Botan::Extensions ext;
  ext.add(new Botan::Cert_Extension::Authority_Key_ID(ca.cert.subject_key_id()));
  ext.add(new Botan::Cert_Extension::CRL_Number(1));
  tbs.start_explicit(0).start_cons(Botan::SEQUENCE).encode(ext).end_cons().end_explicit();
  tbs.end_cons();
  auto out = Botan::X509_Object::make_signed(
      signer.get(), rng(), sig_algo,
      Botan::secure_vector<std::uint8_t>(tbs_bits.begin(), tbs_bits.end()));
  return out;
}

}  // namespace

std::vector<std::uint8_t> make_crl(const Issued& ca,
                                   const std::vector<Botan::X509_Certificate>& revoked,
                                   time_point this_update, time_point next_update) {
  return crl_with(
      ca,
      [&](Botan::DER_Encoder& enc) {
        for (const auto& c : revoked)
          enc.start_cons(Botan::SEQUENCE)
              .encode(Botan::BigInt::decode(c.serial_number()))
              .encode(Botan::X509_Time(this_update))
              .end_cons();
      },
      this_update, next_update);
}

std::vector<std::uint8_t> make_crl_serials(const Issued& ca, std::size_t count, std::uint64_t first,
                                           time_point this_update, time_point next_update) {
  return crl_with(
      ca,
      [&](Botan::DER_Encoder& enc) {
        Botan::X509_Time t(this_update);
        for (std::size_t i = 0; i < count; ++i)
          enc.start_cons(Botan::SEQUENCE).encode(Botan::BigInt(first + i)).encode(t).end_cons();
      },
      this_update, next_update);
}

}  // namespace smimegw::test
