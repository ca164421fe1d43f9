// trust: parsing and verifying one OCSP response (ocsp.hpp, RFC 6960 §4.2). Botan 2.19 decodes
// the pieces (CertID, SingleResponse); the responder authorisation and freshness rules are ours.
#include "smimegw/trust/ocsp.hpp"

#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/der_enc.h>
#include <botan/ocsp.h>
#include <botan/parsing.h>
#include <botan/pubkey.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace smimegw::trust {
namespace {

using time_point = std::chrono::system_clock::time_point;

const char* const kOcspSigning = "1.3.6.1.5.5.7.3.9";
const char* const kBasic = "1.3.6.1.5.5.7.48.1.1";

core::Error fail(const char* code, std::string message) {
  return core::Error::make(code, std::move(message));
}

struct Basic {
  std::vector<std::uint8_t> tbs;  ///< contents of ResponseData (re-wrapped for the signature)
  Botan::AlgorithmIdentifier sig_algo;
  std::vector<std::uint8_t> signature;
  std::vector<Botan::X509_Certificate> certs;
  Botan::X509_DN responder_name;
  std::vector<std::uint8_t> responder_key_hash;
  std::vector<Botan::OCSP::SingleResponse> responses;
};

// Decodes OCSPResponse → BasicOCSPResponse. Throws Botan exceptions on malformed input.
std::optional<std::size_t> decode(std::span<const std::uint8_t> der, Basic& b) {
  Botan::BER_Decoder outer(der.data(), der.size());
  Botan::BER_Decoder resp = outer.start_cons(Botan::SEQUENCE);
  std::size_t status = 0;
  resp.decode(status, Botan::ENUMERATED, Botan::UNIVERSAL);
  if (status != 0) return status;
  Botan::BER_Decoder bytes =
      resp.start_cons(Botan::ASN1_Tag(0), Botan::CONTEXT_SPECIFIC).start_cons(Botan::SEQUENCE);
  bytes.decode_and_check(Botan::OID(kBasic), "not a basic OCSP response");
  Botan::BER_Decoder basic =
      Botan::BER_Decoder(bytes.get_next_octet_string()).start_cons(Botan::SEQUENCE);
  basic.start_cons(Botan::SEQUENCE).raw_bytes(b.tbs).end_cons();
  basic.decode(b.sig_algo).decode(b.signature, Botan::BIT_STRING);
  Botan::BER_Object certs = basic.get_next_object();
  if (certs.is_a(0, Botan::ASN1_Tag(Botan::CONSTRUCTED | Botan::CONTEXT_SPECIFIC))) {
    Botan::BER_Decoder list = Botan::BER_Decoder(certs).start_cons(Botan::SEQUENCE);
    while (list.more_items()) {
      Botan::X509_Certificate c;
      list.decode(c);
      b.certs.push_back(std::move(c));
    }
  }
  std::size_t version = 0;
  const auto ctx = Botan::ASN1_Tag(Botan::CONSTRUCTED | Botan::CONTEXT_SPECIFIC);
  Botan::X509_Time produced;
  Botan::BER_Decoder(b.tbs)
      .decode_optional(version, Botan::ASN1_Tag(0), ctx)
      .decode_optional(b.responder_name, Botan::ASN1_Tag(1), ctx)
      .decode_optional_string(b.responder_key_hash, Botan::OCTET_STRING, 2, ctx)
      .decode(produced)
      .decode_list(b.responses);
  return std::nullopt;
}

bool valid_at(const Botan::X509_Certificate& c, time_point at) {
  Botan::X509_Time t(at);
  return !(t < c.not_before()) && !(t > c.not_after());
}

// The response signer: the issuer, or an authorised delegated responder; null = unauthorised.
const Botan::X509_Certificate* find_signer(const Basic& b, const Botan::X509_Certificate& issuer,
                                           time_point at, std::string& who, std::string& why) {
  auto names = [&](const Botan::X509_Certificate& c) {
    if (!b.responder_key_hash.empty())
      return c.subject_public_key_bitstring_sha1() == b.responder_key_hash;
    return !b.responder_name.empty() && c.subject_dn() == b.responder_name;
  };
  if (names(issuer)) {
    who = "issuer";
    return &issuer;
  }
  why = "the responder is not the issuer and no delegated responder certificate names it";
  std::unique_ptr<Botan::Public_Key> issuer_key(issuer.subject_public_key());
  for (const auto& c : b.certs) {
    if (!names(c)) continue;
    const auto& eku = c.extended_key_usage();
    bool ocsp_signing = std::find(eku.begin(), eku.end(), Botan::OID(kOcspSigning)) != eku.end();
    if (!(c.issuer_dn() == issuer.subject_dn()) || !c.check_signature(*issuer_key))
      why = "responder certificate " + c.subject_dn().to_string() + " is not issued by the issuer";
    else if (!ocsp_signing)
      why = "responder certificate " + c.subject_dn().to_string() + " lacks id-kp-OCSPSigning";
    else if (!valid_at(c, at))
      why = "responder certificate " + c.subject_dn().to_string() + " is outside its validity";
    else {
      who = "delegated " + c.subject_dn().to_string();
      return &c;
    }
  }
  return nullptr;
}

std::vector<std::uint8_t> as_sequence(const std::vector<std::uint8_t>& contents) {
  std::vector<std::uint8_t> out;
  Botan::DER_Encoder(out).start_cons(Botan::SEQUENCE).raw_bytes(contents).end_cons();
  return out;
}

// "" when the signature verifies, else the error code.
const char* check_signature(const Basic& b, const Botan::X509_Certificate& signer, bool accept_sha1,
                            std::string& why) {
  std::unique_ptr<Botan::Public_Key> key(signer.subject_public_key());
  auto info = Botan::split_on(b.sig_algo.get_oid().to_formatted_string(), '/');
  std::string padding;
  if (info.size() == 2 && info[0] == key->algo_name() && info[1].rfind("EMSA4", 0) != 0)
    padding = info[1];
  else if (info.size() == 1 && info[0] == "Ed25519" && key->algo_name() == "Ed25519")
    padding = "Pure";
  if (padding.empty() || padding.find("MD5") != std::string::npos) {
    why = "unsupported signature algorithm " + b.sig_algo.get_oid().to_formatted_string();
    return "ocsp_weak_algorithm";
  }
  if (!accept_sha1 && (padding.find("SHA-160") != std::string::npos ||
                       padding.find("SHA-1)") != std::string::npos)) {
    why = "SHA-1 signed OCSP response";
    return "ocsp_weak_algorithm";
  }
  Botan::PK_Verifier verifier(*key, padding, key->default_x509_signature_format());
  if (!verifier.verify_message(as_sequence(b.tbs), b.signature)) {
    why = "the response signature does not verify with " + signer.subject_dn().to_string();
    return "ocsp_bad_signature";
  }
  return "";
}

}  // namespace

std::string_view to_string(OcspAnswer::Status s) {
  switch (s) {
    case OcspAnswer::Status::good:
      return "good";
    case OcspAnswer::Status::revoked:
      return "revoked";
    case OcspAnswer::Status::unknown:
      break;
  }
  return "unknown";
}

std::vector<std::uint8_t> make_ocsp_request(const Botan::X509_Certificate& cert,
                                            const Botan::X509_Certificate& issuer) {
  return Botan::OCSP::Request(issuer, Botan::BigInt::decode(cert.serial_number())).BER_encode();
}

core::Result<OcspAnswer> verify_ocsp_response(std::span<const std::uint8_t> der,
                                              const Botan::X509_Certificate& cert,
                                              const Botan::X509_Certificate& issuer, time_point at,
                                              const OcspOptions& opt) {
  Basic b;
  try {
    if (auto status = decode(der, b))
      return fail("ocsp_error_status", "responseStatus " + std::to_string(*status));
  } catch (const std::exception& e) {
    return fail("ocsp_malformed", std::string("not an OCSP response: ") + e.what());
  }
  OcspAnswer a;
  std::string why;
  try {
    const Botan::X509_Certificate* signer = find_signer(b, issuer, at, a.signer, why);
    if (!signer) return fail("ocsp_unauthorized_responder", why);
    if (const char* code = check_signature(b, *signer, opt.accept_sha1, why); *code)
      return fail(code, why);
  } catch (const std::exception& e) {
    return fail("ocsp_bad_signature", std::string("signature check failed: ") + e.what());
  }
  const Botan::OCSP::SingleResponse* single = nullptr;
  for (const auto& r : b.responses)
    if (r.certid().is_id_for(issuer, cert)) {
      single = &r;
      break;
    }
  if (!single)
    return fail("ocsp_cert_not_listed", "the response has no answer for this certificate");
  a.this_update = single->this_update().to_std_timepoint();
  if (single->next_update().time_is_set()) a.next_update = single->next_update().to_std_timepoint();
  a.status = single->cert_status() == 0   ? OcspAnswer::Status::good
             : single->cert_status() == 1 ? OcspAnswer::Status::revoked
                                          : OcspAnswer::Status::unknown;
  if (a.this_update > at + opt.clock_skew)
    return fail("ocsp_not_yet_valid", "OCSP thisUpdate is after the validation time");
  if (a.next_update ? at > *a.next_update : at > a.this_update + opt.max_age)
    return fail("ocsp_expired", "OCSP answer is no longer current at the validation time");
  return a;
}

}  // namespace smimegw::trust
