// trust: S/MIME usage rules on the leaf certificate (smime_rules.hpp, RFC 8550 §3, §4.4).
#include "smimegw/trust/smime_rules.hpp"

#include <botan/pkix_types.h>

#include <algorithm>
#include <cctype>

namespace smimegw::trust {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '<')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '>')) s.remove_suffix(1);
  return s;
}

bool is_ec_key(const Botan::X509_Certificate& cert) {
  const auto oid = cert.subject_public_key_algo().get_oid().to_string();
  return oid == "1.2.840.10045.2.1" || oid == "1.3.101.110" ||
         oid == "1.3.101.111";  // EC, X25519/X448
}

constexpr const char* kEmailProtection = "1.3.6.1.5.5.7.3.4";
constexpr const char* kAnyEku = "2.5.29.37.0";

}  // namespace

std::vector<std::string> certificate_emails(const Botan::X509_Certificate& cert) {
  std::vector<std::string> out;
  try {
    for (const auto& e : cert.subject_alt_name().get_attribute("RFC822")) out.push_back(e);
    if (out.empty())
      for (const auto& e : cert.subject_dn().get_attribute("PKCS9.EmailAddress")) out.push_back(e);
  } catch (const std::exception&) {
  }
  return out;
}

bool same_address(std::string_view a, std::string_view b) {
  a = trim(a);
  b = trim(b);
  auto at_a = a.rfind('@'), at_b = b.rfind('@');
  if (at_a == std::string_view::npos || at_b == std::string_view::npos) return false;
  // Local parts compared ignoring ASCII case (Exchange treats proxy addresses so); domains are
  // case-insensitive by RFC 5321 §2.4.
  return iequal(a.substr(0, at_a), b.substr(0, at_b)) &&
         iequal(a.substr(at_a + 1), b.substr(at_b + 1));
}

std::vector<Finding> check_smime_rules(const Botan::X509_Certificate& cert, Operation op,
                                       const std::optional<std::string>& address,
                                       const std::vector<std::string>& proxy_addresses) {
  std::vector<Finding> out;
  if (op == Operation::any) return out;

  const auto ku = cert.constraints();
  if (ku != Botan::NO_CONSTRAINTS) {
    if (op == Operation::encrypt_to) {
      auto need = is_ec_key(cert) ? Botan::KEY_AGREEMENT : Botan::KEY_ENCIPHERMENT;
      if (!(ku & need))
        out.push_back({"wrong_key_usage",
                       is_ec_key(cert) ? "encryption needs keyUsage keyAgreement (EC key)"
                                       : "encryption needs keyUsage keyEncipherment (RSA key)",
                       0});
    } else if (!(ku & (Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION))) {
      out.push_back(
          {"wrong_key_usage", "signing needs keyUsage digitalSignature or nonRepudiation", 0});
    }
  }

  const auto& eku = cert.extended_key_usage();
  if (!eku.empty()) {
    bool ok = std::any_of(eku.begin(), eku.end(), [](const Botan::OID& o) {
      auto s = o.to_string();
      return s == kEmailProtection || s == kAnyEku;
    });
    if (!ok) out.push_back({"wrong_eku", "extendedKeyUsage lacks emailProtection", 0});
  }

  if (address) {
    std::vector<std::string> wanted{*address};
    wanted.insert(wanted.end(), proxy_addresses.begin(), proxy_addresses.end());
    bool match = false;
    for (const auto& e : certificate_emails(cert))
      for (const auto& w : wanted) match = match || same_address(e, w);
    if (!match) out.push_back({"address_mismatch", "certificate is not issued to " + *address, 0});
  }
  return out;
}

}  // namespace smimegw::trust
