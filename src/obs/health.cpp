#include "smimegw/obs/health.hpp"

namespace smimegw::obs {

void Health::add(std::string name, Check check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

boost::asio::awaitable<std::vector<CheckResult>> Health::run() const {
  std::vector<CheckResult> out;
  for (const auto& [name, check] : checks_) {
    core::Status s = co_await check();
    out.push_back({name, s.ok(), s.ok() ? "ok" : s.error().message});
  }
  co_return out;
}

}  // namespace smimegw::obs
