// Test PKI for the trust tests, made with Botan at test time: certificates with exactly the
// extensions a case needs (CRL DP and AIA as raw DER), CRLs signed by any key.
#pragma once

#include <botan/pk_keys.h>
#include <botan/pkix_enums.h>
#include <botan/x509cert.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace smimegw::test {

using time_point = std::chrono::system_clock::time_point;

struct CertSpec {
  std::string cn;
  std::optional<std::string> email;          ///< SAN rfc822Name
  std::optional<std::string> subject_email;  ///< subject emailAddress instead
  bool ca = false;
  std::optional<std::size_t> path_len;
  Botan::Key_Constraints key_usage = Botan::NO_CONSTRAINTS;  ///< NO_CONSTRAINTS: a default
  std::vector<std::string> eku = {"1.3.6.1.5.5.7.3.4"};      ///< emailProtection
  std::vector<std::string> crl_urls;
  std::vector<std::string> aia_urls;
  time_point not_before;
  time_point not_after;
  bool rsa = false;                ///< RSA-2048 (one shared key) instead of a fresh P-256 key
  std::string issuer_cn_override;  ///< forge an issuer name (loops, mismatches)
};

struct Issued {
  Botan::X509_Certificate cert;
  std::shared_ptr<Botan::Private_Key> key;
};

/// Issues `spec` under `issuer` (nullptr: self-signed).
Issued issue(const CertSpec& spec, const Issued* issuer);

/// A CRL of `ca` listing `revoked` serials (DER).
std::vector<std::uint8_t> make_crl(const Issued& ca,
                                   const std::vector<Botan::X509_Certificate>& revoked,
                                   time_point this_update, time_point next_update);
/// The same with raw serials (big CRLs for the benchmark).
std::vector<std::uint8_t> make_crl_serials(const Issued& ca, std::size_t count, std::uint64_t first,
                                           time_point this_update, time_point next_update);

std::vector<std::uint8_t> der(const Botan::X509_Certificate& c);
std::string as_string(const std::vector<std::uint8_t>& v);

}  // namespace smimegw::test
