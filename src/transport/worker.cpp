// transport: Worker loops — claim, heartbeat, hand each message to deliver_message
// (worker_deliver.cpp), then the DSNs that came due (worker_dsn.cpp).
#include "smimegw/transport/worker.hpp"

#include <botan/system_rng.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>

#include "smimegw/core/address.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

std::string instance_id() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::uint8_t rnd[4];
  Botan::system_rng().randomize(rnd, sizeof rnd);
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2], rnd[3]);
  return std::string(host) + ":" + std::to_string(::getpid()) + ":" + suffix;
}

struct Worker::Heartbeat {
  explicit Heartbeat(asio::any_io_executor ex) : timer(std::move(ex)) {}
  asio::steady_timer timer;
  std::vector<std::int64_t> ids;
  bool done = false;
  void stop() {
    done = true;
    timer.cancel();
  }
};

Worker::Worker(asio::any_io_executor ex, QueueStore& queue, directory::UserStore& users,
               RelayClient* relay, WorkerOptions opts)
    : ex_(std::move(ex)), queue_(queue), users_(users), relay_(relay), opts_(std::move(opts)) {}

bool Worker::is_local(const std::string& address) const {
  auto at = address.rfind('@');
  auto domain = core::ascii_lower(at == std::string::npos ? "" : address.substr(at + 1));
  for (const auto& d : opts_.accepted_domains)
    if (d == domain) return true;
  return false;
}

void Worker::start() {
  for (int i = 0; i < opts_.concurrency; ++i) {
    ++running_;
    asio::co_spawn(ex_, loop(), asio::detached);
  }
}

void Worker::stop() {
  stopping_ = true;
  wake();
}

void Worker::wake() {
  asio::post(ex_, [this] {
    for (auto& t : timers_) t.cancel();
  });
}

asio::awaitable<void> Worker::loop() {
  auto& timer = timers_.emplace_back(ex_);
  while (!stopping_) {
    int n = co_await run_once();
    if (n > 0 || stopping_) continue;
    timer.expires_after(opts_.poll);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  --running_;
}

asio::awaitable<void> Worker::heartbeat(std::shared_ptr<Heartbeat> hb) {
  auto every = std::max<std::chrono::milliseconds>(opts_.lease / 2, std::chrono::seconds(1));
  auto log = obs::logger("transport");
  while (!hb->done) {
    hb->timer.expires_after(every);
    co_await hb->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (hb->done) break;
    auto n = co_await queue_.extend_lease(hb->ids, opts_.owner, opts_.lease);
    if (!n)
      obs::log(*log, spdlog::level::warn, "lease_extend_failed", {{"error", n.error().code}});
    else
      obs::log(*log, spdlog::level::debug, "lease_extended",
               {{"rcpts", std::to_string(*n)}, {"lease_s", std::to_string(opts_.lease.count())}});
  }
}

asio::awaitable<int> Worker::run_once() {
  auto claimed = co_await queue_.claim(opts_.owner, opts_.lease, opts_.batch);
  int handled = 0;
  if (claimed && !claimed->empty()) {
    auto hb = std::make_shared<Heartbeat>(ex_);
    std::map<std::int64_t, std::vector<ClaimedRecipient>> by_message;
    for (auto& c : *claimed) {
      hb->ids.push_back(c.id);
      by_message[c.message_row].push_back(std::move(c));
    }
    asio::co_spawn(ex_, heartbeat(hb), asio::detached);
    for (auto& [row, rcpts] : by_message) {
      handled += static_cast<int>(rcpts.size());
      co_await deliver_message(row, std::move(rcpts));
    }
    hb->stop();
  } else if (!claimed) {
    auto log = obs::logger("transport");
    obs::log(*log, spdlog::level::warn, "claim_failed", {{"error", claimed.error().code}});
  }
  handled += co_await send_dsns();
  co_return handled;
}

}  // namespace smimegw::transport
