// trust (private): certificate indexes by subject name and the depth-first path search of the
// validator. The search never revisits a certificate in the same path (loops end), stops at
// max_depth and max_paths, and asks `aia` for issuers only when the local sources gave no path.
#pragma once

#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace smimegw::trust::detail {

using CertPtr = std::shared_ptr<const Botan::X509_Certificate>;

struct CertEntry {
  CertPtr cert;
  std::string fp;  ///< SHA-256 hex
};

CertEntry make_entry(Botan::X509_Certificate cert);

class CertIndex {
 public:
  /// False when the certificate (same thumbprint) is already there.
  bool add(CertEntry e);
  bool contains(const std::string& fp) const { return fps_.count(fp) > 0; }
  /// Certificates whose subject is `cert`'s issuer.
  std::vector<CertEntry> subjects_named(const Botan::X509_DN& dn) const;
  std::size_t size() const { return fps_.size(); }

 private:
  std::multimap<std::string, CertEntry> by_subject_;
  std::set<std::string> fps_;
};

std::string dn_key(const Botan::X509_DN& dn);

struct BuildResult {
  std::vector<std::vector<CertEntry>> paths;  ///< leaf first, root anchor last
  std::vector<CertEntry> longest;             ///< the longest dead end, for the report
  bool untrusted_root = false;                ///< a dead end at a self-signed non-anchor
  bool too_deep = false;
};

struct BuildParams {
  std::size_t max_depth = 8;
  std::size_t max_paths = 16;
  std::function<bool(const CertEntry&)> is_anchor;
  /// Issuer candidates from the local sources (message, anchors, fetched cache).
  std::function<std::vector<CertEntry>(const Botan::X509_Certificate&)> local_issuers;
  /// Issuer candidates fetched via AIA (may be empty).
  std::function<std::vector<CertEntry>(const Botan::X509_Certificate&)> aia_issuers;
};

BuildResult build_paths(const CertEntry& leaf, const BuildParams& params);

/// Orders issuer candidates of `cert`: AKI = SKI first, unknown next, mismatching last.
void order_candidates(const Botan::X509_Certificate& cert, std::vector<CertEntry>& candidates);

}  // namespace smimegw::trust::detail
