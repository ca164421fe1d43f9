// directory: storage interface for certificates held by the gateway (tables user_certificates and
// installed_certificates, migration 0005). Implemented by db (src/db/certificate_store.cpp).
//
// Two kinds of certificate live here:
//  - user certificates: the GAL's certificates of our own users (the "PKCS imported" ones, plus
//    those published without a key); a private key, when held, is only ever stored wrapped by the
//    key vault (key_vault.hpp) and never appears in these structs;
//  - installed certificates: per user, certificates of contacts (the device-keychain analogue),
//    added by hand, through the sync API or by harvesting validated inbound signatures.
// Recipient resolution (resolver.hpp) reads both through the lookups below; the rest of the
// interface (import, export, rotate) is declared next to the key vault.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::directory {

/// What a certificate may be used for, derived from KU/EKU when it is stored.
enum class CertUsage : int { sign = 1, encrypt = 2, both = 3 };

/// Lower-case wire/DB names: "sign", "encrypt", "both".
const char* to_string(CertUsage usage);
std::optional<CertUsage> parse_cert_usage(std::string_view text);

/// A certificate of one of our users (GAL).
struct UserCertificate {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string user_address;       ///< the owner's primary address
  std::vector<std::uint8_t> der;  ///< the certificate, DER
  std::string thumbprint;         ///< SHA-1 of the DER, upper-case hex (as Windows shows it)
  CertUsage usage = CertUsage::both;
  std::chrono::system_clock::time_point not_before{};
  std::chrono::system_clock::time_point not_after{};
  std::string source;            ///< "import" | "pkcs12" | "ldap" | "harvested"
  bool has_private_key = false;  ///< a wrapped key is held in the vault
  bool forced = false;           ///< imported with --force despite a trust failure
  bool enabled = true;
};

/// A contact's certificate installed for one of our users.
struct InstalledCertificate {
  std::int64_t id = 0;
  std::int64_t owner_user_id = 0;
  std::string address;  ///< the contact's e-mail address (lower-case)
  std::vector<std::uint8_t> der;
  std::string thumbprint;
  std::chrono::system_clock::time_point not_after{};
  std::string source;  ///< "manual" | "sync" | "harvested"
};

/// The lookups recipient resolution needs. Addresses are lower-cased by the caller.
class CertificateLookup {
 public:
  virtual ~CertificateLookup() = default;
  /// Enabled certificates of the user owning `address` (primary or proxy); empty if none.
  virtual boost::asio::awaitable<core::Result<std::vector<UserCertificate>>> gal_certificates(
      std::string address) = 0;
  /// Batch form of gal_certificates for resolving many recipients in one round trip: every
  /// enabled certificate of every user owning one of `addresses`, paired with the asked address.
  virtual boost::asio::awaitable<core::Result<std::vector<std::pair<std::string, UserCertificate>>>>
  gal_certificates_batch(std::vector<std::string> addresses) = 0;
  /// Certificates for `contact_address` installed by the user owning `owner_address`.
  virtual boost::asio::awaitable<core::Result<std::vector<InstalledCertificate>>>
  installed_certificates(std::string owner_address, std::string contact_address) = 0;
};

}  // namespace smimegw::directory
