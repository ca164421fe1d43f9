// http: per-caller request rate limit (token bucket). Each key (the router uses the authenticated
// token's name, and the client address for requests whose token is missing or wrong) has a bucket
// of `burst` requests that refills at `per_s` requests per second; a request finding its bucket
// empty is answered 429 rate_limited with Retry-After = seconds until one request is available
// again (rounded up, at least 1). Thread-safe. The number of buckets is bounded: full buckets (idle
// callers) are dropped first, and past kMaxKeys the oldest are dropped, which only ever gives a
// caller a fresh bucket.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace smimegw::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxKeys = 10000;

  /// per_s <= 0 disables the limit.
  RateLimiter(double per_s, double burst);

  /// Takes one request from `key`'s bucket: nullopt when allowed, else Retry-After seconds.
  std::optional<int> acquire(const std::string& key, Clock::time_point now = Clock::now());
  /// Retry-After seconds when `key`'s bucket is empty now, without taking a request from it.
  std::optional<int> blocked(const std::string& key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void prune(Clock::time_point now);
  double per_s_;
  double burst_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace smimegw::http
