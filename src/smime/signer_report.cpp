// smime: signer descriptions for reports. Certificates Botan cannot load still get their issuer
// and serial from the SignerIdentifier.
#include "signer_report.hpp"

#include <botan/ber_dec.h>
#include <botan/hex.h>
#include <botan/pkix_types.h>

#include <algorithm>
#include <cctype>

#include "smimegw/core/time_format.hpp"

namespace smimegw::smime {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string dn_from_der(const std::vector<std::uint8_t>& der) {
  if (der.empty()) return {};
  try {
    Botan::X509_DN dn;
    Botan::BER_Decoder(der).decode(dn);
    return dn.to_string();
  } catch (const std::exception&) {
    return {};
  }
}

std::string serial_hex(std::vector<std::uint8_t> s) {
  auto nz = std::find_if(s.begin(), s.end(), [](std::uint8_t b) { return b != 0; });
  s.erase(s.begin(), nz);
  return s.empty() ? "00" : Botan::hex_encode(s);
}

}  // namespace

SignerReport make_signer_report(const cms::SignerResult& r) {
  SignerReport s;
  s.digest_algorithm = r.digest_algorithm;
  s.signature_algorithm = r.signature_algorithm;
  if (r.signing_time) s.signing_time = core::iso8601_utc(*r.signing_time);
  s.status = r.status.empty() ? (r.valid ? "ok" : "invalid") : r.status;
  s.errors = r.errors;
  s.certificate = r.certificate;
  if (r.certificate) {
    const auto& c = *r.certificate;
    try {
      s.subject = c.subject_dn().to_string();
      s.issuer = c.issuer_dn().to_string();
      // rfc822Name SANs first, then the legacy emailAddress attribute of the subject DN.
      std::vector<std::string> all = c.subject_alt_name().get_attribute("RFC822");
      for (const auto& a : c.subject_dn().get_attribute("PKCS9.EmailAddress")) all.push_back(a);
      for (const auto& a : all) {
        std::string l = lower(a);
        if (std::find(s.addresses.begin(), s.addresses.end(), l) == s.addresses.end())
          s.addresses.push_back(l);
      }
    } catch (const std::exception&) {
      // keep what we have: a strange DN must not fail the report
    }
    s.serial = serial_hex(c.serial_number());
  } else {
    s.issuer = dn_from_der(r.sid.issuer_der);
    if (!r.sid.serial.empty()) s.serial = serial_hex(r.sid.serial);
  }
  return s;
}

void add_signer_error(SignerReport& s, core::Error e) {
  if (s.status == "ok") s.status = e.code;
  s.errors.push_back(std::move(e));
}

}  // namespace smimegw::smime
