// app/pki: building and signing one certificate (pki.hpp make_certificate).
//
// Botan 2.19 cannot encode a CRL distribution point (Distribution_Point has no setter) and its
// AIA class writes only the OCSP URL, so those two extensions are written as raw DER (RFC 5280
// §4.2.1.13, §4.2.2.1) through RawExtension; the others use Botan's extension classes.
#include <botan/auto_rng.h>
#include <botan/bigint.h>
#include <botan/der_enc.h>
#include <botan/hex.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>

#include "pki.hpp"

namespace smimegw::app::pki {
namespace {

class RawExtension final : public Botan::Certificate_Extension {
 public:
  RawExtension(Botan::OID oid, std::vector<std::uint8_t> value)
      : oid_(std::move(oid)), value_(std::move(value)) {}
  Botan::OID oid_of() const override { return oid_; }
  std::string oid_name() const override { return ""; }
  Botan::Certificate_Extension* copy() const override { return new RawExtension(oid_, value_); }
  void contents_to(Botan::Data_Store&, Botan::Data_Store&) const override {}

 private:
  std::vector<std::uint8_t> encode_inner() const override { return value_; }
  void decode_inner(const std::vector<std::uint8_t>&) override {}
  Botan::OID oid_;
  std::vector<std::uint8_t> value_;
};

// CRLDistributionPoints ::= SEQUENCE OF DistributionPoint; each with fullName [0] { [6] URI }.
std::vector<std::uint8_t> crl_dp_der(const std::vector<std::string>& urls) {
  std::vector<std::uint8_t> out;
  Botan::DER_Encoder der(out);
  der.start_cons(Botan::SEQUENCE);
  for (const auto& u : urls) {
    der.start_cons(Botan::SEQUENCE)
        .start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)
        .start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC)
        .add_object(Botan::ASN1_Tag(6), Botan::CONTEXT_SPECIFIC, u)
        .end_cons()
        .end_cons()
        .end_cons();
  }
  der.end_cons();
  return out;
}

// AuthorityInfoAccessSyntax: id-ad-ocsp / id-ad-caIssuers with a URI each.
std::vector<std::uint8_t> aia_der(const std::string& ca_issuers, const std::string& ocsp) {
  std::vector<std::uint8_t> out;
  Botan::DER_Encoder der(out);
  der.start_cons(Botan::SEQUENCE);
  auto add = [&](const char* oid, const std::string& url) {
    der.start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(oid))
        .add_object(Botan::ASN1_Tag(6), Botan::CONTEXT_SPECIFIC, url)
        .end_cons();
  };
  if (!ocsp.empty()) add("1.3.6.1.5.5.7.48.1", ocsp);
  if (!ca_issuers.empty()) add("1.3.6.1.5.5.7.48.2", ca_issuers);
  der.end_cons();
  return out;
}

}  // namespace

core::Result<Botan::X509_Certificate> make_certificate(const CertSpec& spec,
                                                       const Botan::Private_Key& subject_key,
                                                       const Authority* issuer) {
  try {
    Botan::AutoSeeded_RNG rng;
    Botan::X509_DN subject;
    // Encoded general to specific (O, then CN), so RFC 4514 renders "CN=..., O=...".
    if (!spec.organization.empty()) subject.add_attribute("X520.Organization", spec.organization);
    subject.add_attribute("X520.CommonName", spec.common_name);
    for (const auto& e : spec.subject_emails) subject.add_attribute("PKCS9.EmailAddress", e);

    const Botan::Private_Key& signing_key = issuer ? *issuer->key : subject_key;
    const Botan::X509_DN issuer_dn = issuer ? issuer->certificate.subject_dn() : subject;

    Botan::Extensions ext;
    ext.add(new Botan::Cert_Extension::Basic_Constraints(
                spec.ca, spec.path_len.value_or(Botan::Cert_Extension::NO_CERT_PATH_LIMIT)),
            true);
    if (spec.usage != Botan::NO_CONSTRAINTS)
      ext.add(new Botan::Cert_Extension::Key_Usage(spec.usage), true);
    auto ski = std::make_unique<Botan::Cert_Extension::Subject_Key_ID>(
        subject_key.public_key_bits(), "SHA-160");
    std::vector<std::uint8_t> own_ski = ski->get_key_id();
    ext.add(ski.release());
    std::vector<std::uint8_t> aki = issuer ? issuer->certificate.subject_key_id() : own_ski;
    if (!aki.empty()) ext.add(new Botan::Cert_Extension::Authority_Key_ID(aki));
    if (!spec.san_emails.empty()) {
      Botan::AlternativeName alt;
      for (const auto& e : spec.san_emails) alt.add_attribute("RFC822", e);
      ext.add(new Botan::Cert_Extension::Subject_Alternative_Name(alt));
    }
    if (!spec.eku_oids.empty()) {
      std::vector<Botan::OID> oids;
      for (const auto& o : spec.eku_oids) oids.emplace_back(o);
      ext.add(new Botan::Cert_Extension::Extended_Key_Usage(oids));
    }
    if (!spec.crl_urls.empty())
      ext.add(new RawExtension(Botan::OID("2.5.29.31"), crl_dp_der(spec.crl_urls)));
    if (!spec.aia_ca_issuers.empty() || !spec.aia_ocsp.empty())
      ext.add(new RawExtension(Botan::OID("1.3.6.1.5.5.7.1.1"),
                               aia_der(spec.aia_ca_issuers, spec.aia_ocsp)));

    Botan::AlgorithmIdentifier sig_algo;
    std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(signing_key, rng, signature_hash(signing_key), sig_algo));
    Botan::BigInt serial = Botan::BigInt::decode(Botan::hex_decode(spec.serial_hex));
    return Botan::X509_CA::make_cert(signer.get(), rng, serial, sig_algo,
                                     subject_key.subject_public_key(),
                                     Botan::X509_Time(spec.not_before),
                                     Botan::X509_Time(spec.not_after), issuer_dn, subject, ext);
  } catch (const std::exception& e) {
    return core::Error::make("pki_crypto", std::string("cannot create certificate: ") + e.what());
  }
}

}  // namespace smimegw::app::pki
