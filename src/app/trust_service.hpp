// app: the trust validation service of `serve` — one trust::Validator over the virtual certificate
// collection (trust_anchors) and the CRL cache (crl_cache, fetched_certificates), with options
// mapped from the trust.* configuration, plus the background CRL refresh.
//
// The refresh runs as a coroutine on the gateway's io_context: every trust.crl_refresh_check_s it
// hands trust::CrlRefresher::run() (blocking: http fetches, database writes) to a private worker
// thread and logs each outcome (crl_refreshed / crl_refresh_failed) and counts it in
// smimegw_crl_refresh_total{result="ok|failed"}; smimegw_crls_held is the number of CRLs held. At
// start the CRLs already in crl_cache are loaded so they are refreshed before their nextUpdate.
// The latest outcome per URL is kept for the admin API (GET /admin/v1/crls), which can also ask
// for a refresh of every CRL now (refresh_now).
// validate() is blocking too (it may fetch CRLs, AIA issuers, OCSP answers): callers run it on
// worker threads, never on the event loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <mutex>

#include "smimegw/config/config.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/crl_store.hpp"
#include "smimegw/obs/metrics.hpp"
#include "smimegw/trust/crl_refresher.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::app {

/// trust.* configuration → validator options (revocation mode is per request: see
/// default_revocation()).
trust::ValidatorOptions validator_options(const config::Config& cfg);
trust::RefreshPolicy refresh_policy(const config::Config& cfg);

class TrustService {
 public:
  TrustService(boost::asio::io_context& io, db::Pool& pool, const config::Config& cfg,
               obs::Metrics& metrics);
  ~TrustService();
  TrustService(const TrustService&) = delete;
  TrustService& operator=(const TrustService&) = delete;

  /// Starts the refresh loop (loads crl_cache first).
  void start();
  /// Stops the loop; a refresh in progress finishes on the worker thread.
  void stop();

  trust::Validator& validator() { return validator_; }
  /// The CRL store (crl_cache) the validator writes through to; blocking.
  trust::CrlStore& crl_store() { return crl_store_; }

  struct LastRefresh {
    bool ok = false;
    std::string error;  ///< "code: message" when !ok
    std::chrono::system_clock::time_point at;
  };
  /// The latest refresh attempt per URL (the background loop and refresh_now()).
  std::map<std::string, LastRefresh> last_refresh() const;
  /// Fetches every CRL held in memory or in crl_cache again now (the admin API's refresh);
  /// blocking: call it from a worker thread. Outcomes are logged and counted like the loop's.
  std::vector<trust::RefreshOutcome> refresh_now();
  /// trust.revocation, for ValidationRequest::revocation.
  trust::RevocationMode default_revocation() const { return revocation_; }

 private:
  boost::asio::awaitable<void> refresh_loop();
  void report(const std::vector<trust::RefreshOutcome>& outcomes);

  boost::asio::io_context& io_;
  db::PgAnchorStore anchors_;
  db::PgCrlStore crl_store_;
  trust::Validator validator_;
  trust::RevocationMode revocation_;
  trust::CrlRefresher refresher_;
  std::chrono::seconds check_;
  boost::asio::thread_pool worker_{1};
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
  obs::Counter& refreshed_;
  obs::Counter& failed_;
  obs::Gauge& held_;
  mutable std::mutex last_mutex_;
  std::map<std::string, LastRefresh> last_;
};

}  // namespace smimegw::app
