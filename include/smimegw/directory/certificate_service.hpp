// directory: the certificate services of our users — PKCS#12 import, S/MIME readiness, export to
// a device, and harvesting contacts' certificates. The CLI (`smimegw users …`), and later the
// admin API and the sync API (`/me/certificates`, `/me/devices`), call these; none holds SQL.
//
// Import (issue 6 item 3): the PFX is decoded (cms::parse_pkcs12; wrong_password,
// mac_mismatch, unsupported_algorithm … pass through), and every key+certificate entry must
//   1. carry an e-mail address that is one of the user's addresses (address_mismatch; --force
//      does not override it),
//   2. be usable for S/MIME: usage sign, encrypt or both from keyUsage (no_smime_usage otherwise),
//   3. pass trust::Validator for what its usage allows (sign_with and/or encrypt_to) at the
//      configured revocation mode; a failure refuses the import with code `untrusted` and the
//      validation codes, unless `force` (then the row is marked forced and the codes are
//      audit-logged).
// Private keys are wrapped by the key vault before they reach the store; the certificates and one
// audit_log row are written in one transaction (a duplicate refuses the whole file).
//
// Readiness (item 3): ready with one valid dual-use certificate, or a valid signing plus a valid
// encryption certificate; `missing` says which part is absent. Disabled certificates don't count.
//
// Export (item 4): the newest date-valid, enabled signing-capable and encryption-capable
// certificates that hold a key (the same one when a dual-use certificate is newest for both),
// as a PBES2/AES-256-CBC + HMAC-SHA256 PKCS#12 under the device's password; audit-logged
// ("user_certificate.export") before the bytes are returned. Codes: not_found, no_keys,
// kek_* / key_tampered (vault), weak_password (shorter than 8 characters).
//
// Harvest (item 7): a certificate taken from a validated signature on inbound mail becomes an
// installed certificate (source harvested) of the receiving user, unless harvesting is off or the
// certificate's address belongs to a GAL user (the GAL always wins).
#pragma once

#include <botan/x509cert.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::directory {

/// SHA-1 of `der`, upper-case hex (the thumbprint Windows shows).
std::string thumbprint_of(std::span<const std::uint8_t> der);

/// sign / encrypt / both from keyUsage (no keyUsage: both); nullopt when neither is allowed.
std::optional<CertUsage> derive_usage(const Botan::X509_Certificate& cert);

struct CertificateServiceOptions {
  trust::RevocationMode revocation = trust::RevocationMode::require;
  bool harvest = true;                   ///< directory.harvest_certificates
  std::chrono::days expiry_warning{30};  ///< "expires in N days" warning in readiness
};

struct ImportedCertificate {
  std::int64_t id = 0;
  std::string thumbprint;
  CertUsage usage = CertUsage::both;
  bool forced = false;
  std::vector<std::string> codes;  ///< validation codes overridden by force
};

/// A certificate of a user as `users show` reports it.
struct CertificateStatus {
  UserCertificate certificate;
  std::vector<std::string> emails;
  bool can_sign = false;              ///< valid for sign_with now
  bool can_encrypt = false;           ///< valid for encrypt_to now
  std::int64_t days_left = 0;         ///< whole days until notAfter (negative: expired)
  bool expiring_soon = false;         ///< notAfter within options.expiry_warning
  std::vector<std::string> errors;    ///< validation codes (for the usages it has)
  std::vector<std::string> warnings;  ///< e.g. expiring_soon, no_private_key
};

struct Readiness {
  bool ready = false;
  bool can_sign = false;
  bool can_encrypt = false;
  std::string missing;                ///< "", "signing", "encryption", "signing and encryption"
  std::vector<std::string> warnings;  ///< human-readable, e.g. expiry within 30 days
};

struct UserReport {
  User user;
  std::vector<CertificateStatus> certificates;
  Readiness readiness;
  std::vector<InstalledCertificate> installed;
};

struct ExportedPkcs12 {
  std::vector<std::uint8_t> pfx;
  std::vector<std::string> thumbprints;  ///< what it holds
};

enum class HarvestOutcome { added, already_installed, gal_user, disabled, no_address };
const char* to_string(HarvestOutcome outcome);

class CertificateService {
 public:
  /// `vault` may be null (then import/export fail with kek_missing); every reference must
  /// outlive the service. The validator is called synchronously (it may fetch CRLs).
  CertificateService(UserStore& users, CertificateStore& certs, trust::Validator& validator,
                     const KeyVault* vault, const core::Clock& clock,
                     CertificateServiceOptions options = {});

  /// See "Import" above. `actor` goes into the audit log.
  boost::asio::awaitable<core::Result<std::vector<ImportedCertificate>>> import_pkcs12(
      std::string address, std::vector<std::uint8_t> pfx, std::string password, bool force,
      std::string actor);

  /// The user with every certificate, its validity and the readiness verdict.
  boost::asio::awaitable<core::Result<UserReport>> report(std::string address);

  /// See "Export" above.
  boost::asio::awaitable<core::Result<ExportedPkcs12>> export_pkcs12(std::string address,
                                                                     std::string password,
                                                                     std::string actor);

  /// See "Harvest" above. `contact_address` (e.g. the message's From) picks which of the
  /// certificate's addresses to file it under; empty: its first address. not_found when
  /// `owner_address` is no user; malformed_certificate when `der` does not parse.
  boost::asio::awaitable<core::Result<HarvestOutcome>> harvest(std::string owner_address,
                                                               std::vector<std::uint8_t> der,
                                                               std::string contact_address = {});

 private:
  UserStore& users_;
  CertificateStore& certs_;
  trust::Validator& validator_;
  const KeyVault* vault_;
  const core::Clock& clock_;
  CertificateServiceOptions options_;
};

/// Readiness from per-certificate statuses (pure; exposed for tests). Warns about every usable
/// certificate that is expiring soon.
Readiness readiness_of(const std::vector<CertificateStatus>& certs);

}  // namespace smimegw::directory
