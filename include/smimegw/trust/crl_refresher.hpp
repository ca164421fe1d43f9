// trust: background refresh of held CRLs before their nextUpdate (issue 4 item 3).
//
// run(now) looks at every CRL the CrlCache holds by URL and fetches again those that are due:
// a CRL is due `margin` before its nextUpdate, earlier by a per-URL random jitter of up to
// `jitter` × margin (so instances sharing a CDP don't all ask at once), and never sooner than
// `min_interval` after the previous attempt. A failed fetch is retried after min_interval, doubling
// per consecutive failure up to max_backoff; the held copy stays in use until its nextUpdate (the
// validator then fails closed). CRLs without nextUpdate are not refreshed. run() blocks (it
// fetches over http and writes through to the CrlStore): call it from a worker thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "smimegw/trust/crl_cache.hpp"

namespace smimegw::trust {

struct RefreshPolicy {
  std::chrono::seconds margin{3600};
  double jitter = 0.1;
  std::chrono::seconds min_interval{60};
  std::chrono::seconds max_backoff{1800};
};

struct RefreshOutcome {
  using time_point = std::chrono::system_clock::time_point;
  std::string url;
  bool ok = false;
  std::string error;                      ///< "code: message" when !ok
  std::optional<time_point> next_update;  ///< of the new CRL when ok
  unsigned failures = 0;                  ///< consecutive failures of this URL
  time_point next_attempt;                ///< when a failed URL is tried again
};

class CrlRefresher {
 public:
  using time_point = std::chrono::system_clock::time_point;
  CrlRefresher(CrlCache& crls, RefreshPolicy policy, std::uint64_t seed = std::random_device{}());

  /// Fetches the due CRLs (see the header comment); one outcome per attempted URL.
  std::vector<RefreshOutcome> run(time_point now);

 private:
  struct Entry {
    std::optional<time_point> planned_for;  ///< the nextUpdate the jitter was drawn for
    std::chrono::seconds jitter{0};
    std::optional<time_point> last_attempt;
    unsigned failures = 0;
    time_point retry_at;
  };
  bool due(Entry& e, const std::optional<time_point>& next_update, time_point now);

  CrlCache& crls_;
  RefreshPolicy policy_;
  std::mt19937_64 rng_;
  std::map<std::string, Entry> plan_;
};

}  // namespace smimegw::trust
