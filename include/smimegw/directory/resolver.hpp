// directory: recipient-certificate resolution (ARCHITECTURE §7) — "which certificate do we encrypt
// to for each recipient of this message?"
//
// Flow of resolve(sender, recipients):
//  1. recipients that are groups (one GroupStore query) are expanded (group_expansion.hpp); each
//     member is resolved on its own and carries the group path that reached it; a group whose
//     expansion lost members adds an entry for the group with reason group_expansion_failed;
//  2. per address, sources in order, stopping at the first that gives a valid certificate:
//       GAL         certificates of the user owning the address as primary or proxy address
//                   (CertificateLookup::gal_certificates_batch: one query for all recipients)
//       installed   the sender's installed certificates for the address (the device keychain;
//                   a user_trusted one passes an unknown CA when options.accept_user_trusted)
//       ldap:<ep>   each configured LDAP endpoint in order (ldap.hpp; run concurrently for all
//                   addresses still open, on the directory's threads);
//  3. every candidate is validated by trust::Validator for encryption (encrypt-to: chain, validity,
//     revocation, key usage, EKU) with the recipient's address; the newest valid one (latest
//     notBefore, then latest notAfter) of the first source with a valid one wins.
// Validation runs on the resolver's own threads (it may fetch CRLs), never on the event loop.
//
// Per recipient the answer is a certificate with its source, or a reason:
//   no_certificate          no source had a candidate
//   all_invalid             candidates were found and none validated (each candidate's codes)
//   lookup_timeout, ldap_unavailable, ldap_garbage, ldap_error
//                           an LDAP endpoint failed and nothing valid was found (transient for
//                           the first two: a retry may succeed)
//   group_expansion_failed  (the group's own entry) members may be missing: depth, cap, time
//   bad_address             not an e-mail address
// A store failure (db_unavailable) fails the whole call.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "smimegw/directory/group_store.hpp"
#include "smimegw/directory/ldap.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::directory {

/// One certificate considered for a recipient, with the validator's verdict.
struct CandidateReport {
  std::string source;      ///< gal | installed | ldap:<endpoint>
  std::string thumbprint;  ///< SHA-1 of the DER, upper-case hex
  std::string subject;
  std::chrono::system_clock::time_point not_before{}, not_after{};
  bool valid = false;
  std::vector<std::string> codes;  ///< validation error codes when invalid
};

struct ResolvedCertificate {
  std::vector<std::uint8_t> der;
  std::string source;
  std::string thumbprint;
  std::string subject;
  std::chrono::system_clock::time_point not_before{}, not_after{};
};

struct RecipientResolution {
  std::string address;           ///< lower-case; the group's address for its own entry
  std::vector<std::string> via;  ///< group path that reached the address (empty: asked directly)
  std::optional<ResolvedCertificate> certificate;
  std::string reason;  ///< empty when resolved
  std::string detail;  ///< human text for the reason
  std::vector<CandidateReport> candidates;
  bool resolved() const { return certificate.has_value(); }
};

struct ResolverOptions {
  trust::RevocationMode revocation = trust::RevocationMode::require;
  int validation_threads = 2;
  ExpansionLimits groups;
  /// Installed certificates the user trusted despite an unknown CA (source user_trusted, sync
  /// API installSenderCertificate) count as valid when that is their only fault; source
  /// "installed:user_trusted". sync.allow_user_trusted_certificates.
  bool accept_user_trusted = false;
};

class Resolver {
 public:
  /// `groups` and `ldap` may be null (no group expansion / no LDAP). All must outlive the resolver.
  Resolver(CertificateLookup& certificates, GroupStore* groups, LdapDirectory* ldap,
           trust::Validator& validator, const core::Clock& clock, ResolverOptions options = {});
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  /// One entry per distinct recipient address after expansion (first path wins), in request
  /// order, plus one entry per group that failed to expand; see the header comment.
  boost::asio::awaitable<core::Result<std::vector<RecipientResolution>>> resolve(
      std::string sender, std::vector<std::string> recipients);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace smimegw::directory
