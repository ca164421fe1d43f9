// trust: CRLs (RFC 5280 §5) held in memory, indexed once, with a write-through persistent store.
//
// IndexedCrl decodes a CRL once: the revoked serials go into a sorted vector (lookup O(log n), a
// 100,000-entry CRL costs one sort at load), the extensions are classified (delta CRL indicator,
// issuing distribution point scope, unknown critical extensions in the CRL or in an entry), and the
// signature check against an issuer is remembered per issuer key, so a cached CRL costs no
// signature verification on later validations.
//
// CrlCache::get(url) answers from memory when the copy is fresh at the validation time (nextUpdate
// not passed), else from the CrlStore, else fetches over http (connect/total timeout, size cap) and
// writes the result through. A failed fetch never falls back to a stale copy: callers decide
// (mode require ⇒ revocation_unknown). Every change bumps generation(), which result caches watch.
#pragma once

#include <botan/pkix_types.h>
#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/net/http_fetch.hpp"
#include "smimegw/trust/crl_store.hpp"

namespace smimegw::trust {

/// What the issuingDistributionPoint extension (RFC 5280 §5.2.5) limits a CRL to.
struct CrlScope {
  bool present = false;
  bool only_user_certs = false;
  bool only_ca_certs = false;
  bool only_attribute_certs = false;
  bool unsupported = false;  ///< onlySomeReasons or indirectCRL: refused (crl_scope_unsupported)
  std::vector<std::string> uris;  ///< distributionPoint fullName URIs
};

class IndexedCrl {
 public:
  using time_point = std::chrono::system_clock::time_point;
  /// Errors: malformed_crl.
  static core::Result<std::shared_ptr<const IndexedCrl>> parse(std::span<const std::uint8_t> der,
                                                               std::string source);

  const Botan::X509_CRL& crl() const { return crl_; }
  const std::vector<std::uint8_t>& der() const { return der_; }
  const std::string& source() const { return source_; }  ///< URL or file name
  time_point this_update() const { return this_update_; }
  std::optional<time_point> next_update() const { return next_update_; }
  bool is_delta() const { return delta_; }
  /// A critical extension we don't process (RFC 5280 §5.2: the CRL must not be used).
  bool unhandled_critical() const { return unhandled_critical_; }
  const CrlScope& scope() const { return scope_; }
  std::size_t size() const { return serials_.size(); }

  /// True when `serial` (big-endian, as Botan gives it) is listed and not removeFromCRL. O(log n).
  bool is_listed(const std::vector<std::uint8_t>& serial) const;
  /// Signature verified with `issuer`'s key; remembered per issuer key.
  bool signature_valid_for(const Botan::X509_Certificate& issuer) const;

 private:
  IndexedCrl(Botan::X509_CRL crl, std::vector<std::uint8_t> der, std::string source);

  Botan::X509_CRL crl_;
  std::vector<std::uint8_t> der_;
  std::string source_;
  time_point this_update_;
  std::optional<time_point> next_update_;
  bool delta_ = false;
  bool unhandled_critical_ = false;
  CrlScope scope_;
  std::vector<std::string> serials_;  ///< sorted, normalised (no leading zero bytes)
  mutable std::mutex sig_mutex_;
  mutable std::map<std::vector<std::uint8_t>, bool> sig_checked_;  ///< issuer SPKI → result
};

/// Fetches `url` with `opts` (net::http_get_blocking by default; tests may count calls).
using Fetcher = std::function<core::Result<net::FetchResult>(const std::string& url,
                                                             const net::FetchOptions& opts)>;
Fetcher default_fetcher();

class CrlCache {
 public:
  using time_point = std::chrono::system_clock::time_point;
  /// `store` may be null (memory only); it must outlive the cache.
  explicit CrlCache(CrlStore* store = nullptr, Fetcher fetcher = default_fetcher(),
                    net::FetchOptions fetch_options = {});

  /// Adds a CRL not tied to a URL (a file, a test); found through by_issuer(). Errors:
  /// malformed_crl.
  core::Status add(std::span<const std::uint8_t> der, const std::string& source);

  /// The CRL published at `url`, fresh at `at` (see the header comment). Errors: the net codes
  /// (fetch_failed, fetch_timeout, fetch_too_large, http_status, bad_url), malformed_crl,
  /// crl_unavailable (not cached and allow_fetch is false).
  core::Result<std::shared_ptr<const IndexedCrl>> get(const std::string& url, time_point at,
                                                      bool allow_fetch = true);

  /// Every CRL held whose issuer is `issuer` (added files and fetched ones).
  std::vector<std::shared_ptr<const IndexedCrl>> by_issuer(const Botan::X509_DN& issuer) const;

  /// Fetches again every URL whose copy reaches nextUpdate within `margin` of `now` (call it from
  /// a background timer). Returns how many were refreshed.
  std::size_t refresh_due(time_point now, std::chrono::seconds margin);

  /// Fetches `url` again now (the background refresher). Errors as get().
  core::Result<std::shared_ptr<const IndexedCrl>> refresh(const std::string& url);
  /// Loads every CRL of the CrlStore into memory (serve start-up), so the refresher knows them.
  /// Returns how many were loaded; unparsable rows are skipped.
  core::Result<std::size_t> load_store();
  /// The URLs held in memory with their nextUpdate.
  std::vector<std::pair<std::string, std::optional<time_point>>> held() const;

  std::uint64_t generation() const { return generation_.load(); }
  std::size_t fetch_count() const { return fetches_.load(); }  ///< network requests made
  const net::FetchOptions& fetch_options() const { return fetch_options_; }

 private:
  core::Result<std::shared_ptr<const IndexedCrl>> fetch(const std::string& url);
  void remember(const std::string& url, std::shared_ptr<const IndexedCrl> crl);

  CrlStore* store_;
  Fetcher fetcher_;
  net::FetchOptions fetch_options_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const IndexedCrl>> by_url_;
  std::multimap<std::string, std::shared_ptr<const IndexedCrl>> by_issuer_;  ///< key: DN text
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> fetches_{0};
};

}  // namespace smimegw::trust
