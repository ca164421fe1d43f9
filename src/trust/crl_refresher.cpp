// trust: the CRL refresh schedule — due times with jitter, backoff on failure (crl_refresher.hpp).
#include "smimegw/trust/crl_refresher.hpp"

#include <algorithm>

namespace smimegw::trust {

CrlRefresher::CrlRefresher(CrlCache& crls, RefreshPolicy policy, std::uint64_t seed)
    : crls_(crls), policy_(policy), rng_(seed) {}

bool CrlRefresher::due(Entry& e, const std::optional<time_point>& next_update, time_point now) {
  if (e.failures > 0) return now >= e.retry_at;
  if (!next_update) return false;
  if (e.planned_for != next_update) {
    e.planned_for = next_update;
    auto span =
        static_cast<std::int64_t>(policy_.jitter * static_cast<double>(policy_.margin.count()));
    std::uniform_int_distribution<std::int64_t> d(0, std::max<std::int64_t>(span, 0));
    e.jitter = std::chrono::seconds(d(rng_));
  }
  auto target = *next_update - policy_.margin - e.jitter;
  if (e.last_attempt) target = std::max(target, *e.last_attempt + policy_.min_interval);
  return now >= target;
}

std::vector<RefreshOutcome> CrlRefresher::run(time_point now) {
  std::vector<RefreshOutcome> out;
  for (const auto& [url, next_update] : crls_.held()) {
    Entry& e = plan_[url];
    if (!due(e, next_update, now)) continue;
    e.last_attempt = now;
    RefreshOutcome o;
    o.url = url;
    auto r = crls_.refresh(url);
    if (r) {
      e.failures = 0;
      o.ok = true;
      o.next_update = (*r)->next_update();
    } else {
      ++e.failures;
      auto shift = std::min(e.failures - 1, 20u);
      auto delay = std::min<std::chrono::seconds>(policy_.min_interval * (std::int64_t{1} << shift),
                                                  policy_.max_backoff);
      e.retry_at = now + delay;
      o.error = r.error().code + ": " + r.error().message;
      o.failures = e.failures;
      o.next_attempt = e.retry_at;
    }
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace smimegw::trust
