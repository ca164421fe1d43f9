// obs: the metrics registry and its Prometheus text exposition (format 0.0.4).
//
// Every metric an operator sees is registered once, with its help text, when the owning service is
// built (one table per service). Counters and gauges are lock-free atomics; the registry lock is
// taken only to register and to render.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace smimegw::obs {

class Counter {
 public:
  void inc(std::uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { v_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
  std::int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> v_{0};
};

class Metrics {
 public:
  /// Returns the counter `name{labels}` (labels as Prometheus text, e.g. `listener="admin"`).
  Counter& counter(const std::string& name, const std::string& help,
                   const std::string& labels = "");
  Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = "");
  /// Prometheus text exposition of everything registered.
  std::string render() const;

 private:
  struct Family {
    std::string help;
    bool is_counter = true;
    std::map<std::string, Counter*> counters;
    std::map<std::string, Gauge*> gauges;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
  std::deque<Counter> counter_store_;
  std::deque<Gauge> gauge_store_;
};

}  // namespace smimegw::obs
