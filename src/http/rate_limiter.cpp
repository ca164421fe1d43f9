#include "smimegw/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace smimegw::http {

RateLimiter::RateLimiter(double per_s, double burst)
    : per_s_(per_s), burst_(std::max(1.0, burst)) {}

std::optional<int> RateLimiter::acquire(const std::string& key, Clock::time_point now) {
  if (per_s_ <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxKeys) prune(now);
    it = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  auto& b = it->second;
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed * per_s_);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return std::nullopt;
  }
  double wait = (1.0 - b.tokens) / per_s_;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

std::optional<int> RateLimiter::blocked(const std::string& key, Clock::time_point now) {
  if (per_s_ <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) return std::nullopt;
  double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
  double tokens = std::min(burst_, it->second.tokens + std::max(0.0, elapsed) * per_s_);
  if (tokens >= 1.0) return std::nullopt;
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens) / per_s_)));
}

void RateLimiter::prune(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    if (it->second.tokens + elapsed * per_s_ >= burst_)
      it = buckets_.erase(it);
    else
      ++it;
  }
  if (buckets_.size() < kMaxKeys) return;
  auto oldest = std::min_element(
      buckets_.begin(), buckets_.end(),
      [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
  if (oldest != buckets_.end()) buckets_.erase(oldest);
}

}  // namespace smimegw::http
