#include "smimegw/obs/metrics.hpp"

namespace smimegw::obs {

Counter& Metrics::counter(const std::string& name, const std::string& help,
                          const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& f = families_[name];
  f.help = help;
  f.is_counter = true;
  auto& slot = f.counters[labels];
  if (!slot) slot = &counter_store_.emplace_back();
  return *slot;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& f = families_[name];
  f.help = help;
  f.is_counter = false;
  auto& slot = f.gauges[labels];
  if (!slot) slot = &gauge_store_.emplace_back();
  return *slot;
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& entry : families_) {
    const std::string& name = entry.first;  // (clang 14 cannot capture structured bindings)
    const Family& f = entry.second;
    out += "# HELP " + name + " " + f.help + "\n";
    out += "# TYPE " + name + (f.is_counter ? " counter\n" : " gauge\n");
    auto series = [&name](const std::string& labels) {
      return labels.empty() ? name : name + "{" + labels + "}";
    };
    for (const auto& [labels, c] : f.counters)
      out += series(labels) + " " + std::to_string(c->value()) + "\n";
    for (const auto& [labels, g] : f.gauges)
      out += series(labels) + " " + std::to_string(g->value()) + "\n";
  }
  return out;
}

}  // namespace smimegw::obs
