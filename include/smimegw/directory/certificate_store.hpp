// directory: storage interface for certificates held by the gateway (tables user_certificates and
// installed_certificates, migration 0005). Implemented by db (src/db/certificate_store.cpp).
//
// Two kinds of certificate live here:
//  - user certificates: the GAL's certificates of our own users (the "PKCS imported" ones, plus
//    those published without a key); a private key, when held, is only ever stored wrapped by the
//    key vault (key_vault.hpp) and never appears in these structs;
//  - installed certificates: per user, certificates of contacts (the device-keychain analogue),
//    added by hand, through the sync API or by harvesting validated inbound signatures.
// Recipient resolution (resolver.hpp) reads both through CertificateLookup; the certificate
// services (certificate_service.hpp: import, export, harvest) and the key vault's rotation use the
// full CertificateStore below. Error codes: db_unavailable (transient), db_error, db_duplicate
// (a certificate already stored for that user), not_found.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
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

/// A private key as the key vault stores it (key_vault.hpp): opaque ciphertext + its KEK id.
struct WrappedKey {
  std::vector<std::uint8_t> ciphertext;
  std::string kek_id;
};

/// A user certificate about to be stored.
struct NewUserCertificate {
  std::int64_t user_id = 0;
  std::vector<std::uint8_t> der;
  std::string thumbprint;
  CertUsage usage = CertUsage::both;
  std::chrono::system_clock::time_point not_before{};
  std::chrono::system_clock::time_point not_after{};
  std::string source = "pkcs12";
  bool forced = false;
  std::optional<WrappedKey> key;
};

/// One row of audit_log. `detail_json` is a JSON object; never key material or passwords.
struct AuditEntry {
  std::string actor;    ///< "cli:<unix user>", "admin:<token name>", "sync:<user>", "gateway"
  std::string action;   ///< e.g. "user_certificate.import", "user_certificate.export"
  std::string subject;  ///< what it was done to, e.g. the user's address
  std::string detail_json = "{}";
};

/// A stored wrapped key and what binds it (for rotation and the start-up check).
struct WrappedKeyRow {
  std::int64_t certificate_id = 0;  ///< user_certificates.id; negative: -gateway_keys.id
  std::string thumbprint;
  WrappedKey key;
};

/// The full certificate store: CertificateLookup plus what the services and the vault need.
class CertificateStore : public CertificateLookup {
 public:
  /// Stores `certs` and appends `audit` in ONE transaction (all or nothing). db_duplicate when a
  /// certificate with the same thumbprint is already stored for that user. Returns the new ids.
  virtual boost::asio::awaitable<core::Result<std::vector<std::int64_t>>> add_user_certificates(
      std::vector<NewUserCertificate> certs, std::vector<AuditEntry> audit) = 0;
  /// Every certificate of the user (enabled or not), newest first.
  virtual boost::asio::awaitable<core::Result<std::vector<UserCertificate>>> user_certificates(
      std::int64_t user_id) = 0;
  /// The wrapped key of one user certificate (nullopt: the row holds no key, or no such row).
  virtual boost::asio::awaitable<core::Result<std::optional<WrappedKey>>> wrapped_key(
      std::int64_t certificate_id) = 0;
  /// Deletes the user's certificate with `thumbprint` (and its key); not_found if there is none.
  virtual boost::asio::awaitable<core::Status> remove_user_certificate(std::int64_t user_id,
                                                                       std::string thumbprint,
                                                                       AuditEntry audit) = 0;

  /// Distinct KEK ids of every stored wrapped key (empty: the vault holds no key).
  virtual boost::asio::awaitable<core::Result<std::vector<std::string>>> kek_ids() = 0;
  /// Re-wraps every stored key in ONE transaction: rows are locked, `rewrap` maps each to its new
  /// ciphertext; the first error (or exception) rolls everything back and is returned. Returns
  /// the number of keys re-wrapped.
  virtual boost::asio::awaitable<core::Result<std::size_t>> rewrap_all(
      std::function<core::Result<WrappedKey>(const WrappedKeyRow&)> rewrap, AuditEntry audit) = 0;

  /// Adds an installed certificate; false when the owner already has one with that thumbprint.
  virtual boost::asio::awaitable<core::Result<bool>> add_installed(InstalledCertificate cert) = 0;
  /// Every certificate installed for the user, by contact address.
  virtual boost::asio::awaitable<core::Result<std::vector<InstalledCertificate>>> list_installed(
      std::int64_t owner_user_id) = 0;
  /// Deletes one installed certificate; not_found if the owner has none with that thumbprint.
  virtual boost::asio::awaitable<core::Status> remove_installed(std::int64_t owner_user_id,
                                                                std::string thumbprint) = 0;

  /// Appends one audit_log row on its own.
  virtual boost::asio::awaitable<core::Status> append_audit(AuditEntry entry) = 0;
};

}  // namespace smimegw::directory
