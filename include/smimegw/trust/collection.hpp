// trust: the virtual certificate collection, the CAs this gateway trusts (Exchange Online's
// Set-SmimeConfig -SMIMECertificateIssuingCA), kept in the trust_anchors table via AnchorStore.
//
// Import flow: file bytes → extract_certificates (import.hpp: PEM, DER, PKCS#7, SST) → for every
// item one ImportOutcome, in file order; nothing is skipped silently:
//   added            stored (root = self-issued and self-signed; else intermediate)
//   duplicate        the same certificate (SHA-256 of the DER) is already in the collection
//   expired          notAfter is before the clock's now: refused (an expired CA can anchor
//                    nothing valid today; re-import its renewed certificate instead)
//   not_ca           no basicConstraints cA=TRUE (a v1 self-signed certificate counts as a CA,
//                    as RFC 5280 §6.1 allows for trust anchors): refused
//   unparsable       the entry is not a certificate Botan can read: refused
//   not_certificate  the entry is something else (key, CRL, attribute certificate): refused
// A file that is not a certificate container at all is the Error `malformed` (import.hpp codes);
// store failures (db_unavailable, db_error) end the import with that Error, and the outcomes of
// the items before it are lost to the caller but already committed (each add is one transaction).
// Not-yet-valid CAs are added (a note says so).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/trust/anchor_store.hpp"
#include "smimegw/trust/import.hpp"

namespace smimegw::trust {

struct ImportOutcome {
  std::string origin;  ///< where in the file, e.g. "PEM block 2"
  std::string status;  ///< added | duplicate | expired | not_ca | unparsable | not_certificate
  std::string detail;  ///< human explanation, safe to show
  std::string subject;
  std::string sha256;
  std::optional<std::int64_t> id;  ///< the row id when added (or the existing one, duplicate)
  bool is_root = false;
};

struct ImportReport {
  std::string format;
  std::vector<ImportOutcome> items;
  std::size_t added() const;
};

/// Facts of one certificate for the collection (exposed for tests and listings).
struct AnchorFacts {
  StoredAnchor anchor;  ///< id/added_* unset
  bool is_ca = false;
  std::chrono::system_clock::time_point not_before;
};
core::Result<AnchorFacts> describe_certificate(std::span<const std::uint8_t> der);

class Collection {
 public:
  Collection(AnchorStore& store, const core::Clock& clock) : store_(store), clock_(clock) {}

  /// Imports every certificate of `file` (any format of import.hpp); see the header comment.
  core::Result<ImportReport> import(std::span<const std::uint8_t> file, const std::string& added_by,
                                    const ImportLimits& limits = {});

  core::Result<std::vector<StoredAnchor>> list(bool enabled_only = false) {
    return store_.list(enabled_only);
  }
  core::Status set_enabled(std::int64_t id, bool enabled) {
    return store_.set_enabled(id, enabled);
  }
  core::Status remove(std::int64_t id) { return store_.remove(id); }
  core::Result<std::int64_t> generation() { return store_.generation(); }

 private:
  ImportOutcome import_one(const ExtractedItem& item, const std::string& added_by,
                           std::optional<core::Error>& fatal);
  AnchorStore& store_;
  const core::Clock& clock_;
};

}  // namespace smimegw::trust
