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

namespace {

void log_local_delivery(const ClaimedRecipient& r, const core::Status& st) {
  auto log = obs::logger("transport");
  if (st)
    obs::log(*log, spdlog::level::info, "delivered",
             {{"queue_id", r.queue_id}, {"rcpt", r.address}, {"route", "local"}});
  else
    obs::log(*log, spdlog::level::warn, "deliver_failed",
             {{"queue_id", r.queue_id}, {"rcpt", r.address}, {"error", st.error().code}});
}

void log_dsn(const DsnDue& d, const std::optional<NewMessage>& dsn, const core::Status& st,
             size_t n) {
  auto log = obs::logger("transport");
  obs::log(*log, st ? spdlog::level::info : spdlog::level::warn, "dsn",
           {{"queue_id", d.message.queue_id},
            {"to", d.message.mail_from},
            {"dsn_queue_id", dsn ? dsn->queue_id : ""},
            {"failed", std::to_string(n)}});
}

void log_failed(const ClaimedRecipient& r, const std::string& route, const std::string& reply,
                bool dsn) {
  auto log = obs::logger("transport");
  obs::log(*log, spdlog::level::warn, "failed",
           {{"queue_id", r.queue_id},
            {"rcpt", r.address},
            {"route", route},
            {"reply", reply},
            {"dsn", dsn ? "due" : "suppressed"}});
}

}  // namespace

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

asio::awaitable<int> Worker::run_once() {
  auto claimed = co_await queue_.claim(opts_.owner, opts_.lease, opts_.batch);
  int handled = 0;
  if (claimed) {
    std::map<std::int64_t, std::vector<ClaimedRecipient>> by_message;
    for (auto& c : *claimed) by_message[c.message_row].push_back(std::move(c));
    for (auto& [row, rcpts] : by_message) {
      handled += static_cast<int>(rcpts.size());
      co_await deliver_message(row, std::move(rcpts));
    }
  } else {
    auto log = obs::logger("transport");
    obs::log(*log, spdlog::level::warn, "claim_failed", {{"error", claimed.error().code}});
  }
  handled += co_await send_dsns();
  co_return handled;
}

asio::awaitable<void> Worker::deliver_message(std::int64_t row,
                                              std::vector<ClaimedRecipient> rcpts) {
  auto msg = co_await queue_.load(row);
  if (!msg) co_return;  // deleted meanwhile, or the database is down: the lease runs out, retried
  std::map<std::string, std::pair<Destination, std::vector<const ClaimedRecipient*>>> relay_groups;
  for (const auto& r : rcpts) {
    if (r.route == Route::Local) {
      auto user = co_await users_.find_by_address(core::ascii_lower(r.address));
      if (!user) {
        co_await finish(r, *msg, RelayResult{false, false, "451 4.3.0 directory unavailable"});
      } else if (!*user) {
        co_await finish(r, *msg, RelayResult{false, true, "550 5.1.1 mailbox no longer exists"});
      } else {
        auto st = co_await queue_.deliver_local(r, opts_.owner, (*user)->address);
        log_local_delivery(r, st);
      }
      continue;
    }
    auto at = r.address.rfind('@');
    auto dest = route_for(r.address.substr(at + 1), opts_.routes, opts_.smarthost);
    if (!dest || !relay_) {
      RelayResult no_route{false, false,
                           "451 4.4.0 no route to " + r.address.substr(at + 1) +
                               " (set relay.smarthost or relay.routes)"};
      co_await finish(r, *msg, no_route);
      continue;
    }
    auto& g = relay_groups[dest->key()];
    g.first = *dest;
    g.second.push_back(&r);
  }
  for (auto& [key, group] : relay_groups) {
    std::vector<std::string> addrs;
    for (auto* r : group.second) addrs.push_back(r->address);
    auto results = co_await relay_->deliver(group.first, msg->mail_from, addrs, msg->body);
    // (no ?: temporaries inside coroutines: g++ 12 destroys them twice)
    results.resize(group.second.size(),
                   RelayResult{false, false, "451 4.3.0 no result from relay"});
    for (size_t i = 0; i < group.second.size(); ++i)
      co_await finish(*group.second[i], *msg, results[i]);
  }
}

asio::awaitable<void> Worker::finish(ClaimedRecipient r, QueuedMessage m, RelayResult result) {
  auto log = obs::logger("transport");
  std::string route = "relay";
  if (r.route == Route::Local) route = "local";
  if (result.delivered) {
    co_await queue_.mark_delivered(r.id, opts_.owner, result.reply);
    obs::log(
        *log, spdlog::level::info, "delivered",
        {{"queue_id", r.queue_id}, {"rcpt", r.address}, {"route", route}, {"reply", result.reply}});
    co_return;
  }
  auto age = std::chrono::system_clock::now() - r.received_at;
  if (result.permanent || age >= opts_.max_age) {
    std::string reply = result.reply;
    if (!result.permanent) reply += " (gave up: message older than queue maximum age)";
    bool dsn = failure_dsn_wanted(m.mail_from, r.notify);
    co_await queue_.mark_failed(r.id, opts_.owner, reply, dsn);
    log_failed(r, route, reply, dsn);
    co_return;
  }
  auto idx = std::min(static_cast<size_t>(r.attempts), opts_.backoff.size() - 1);
  auto next = std::chrono::system_clock::now() + opts_.backoff[idx];
  co_await queue_.mark_retry(r.id, opts_.owner, result.reply, next);
  obs::log(*log, spdlog::level::info, "deferred",
           {{"queue_id", r.queue_id},
            {"rcpt", r.address},
            {"route", route},
            {"reply", result.reply},
            {"retry_in_s", std::to_string(opts_.backoff[idx].count())}});
}

asio::awaitable<int> Worker::send_dsns() {
  auto due = co_await queue_.claim_dsn(opts_.owner, 8);
  if (!due) co_return 0;
  int n = 0;
  for (auto& d : *due) {
    std::vector<std::int64_t> ids;
    for (const auto& f : d.failed) ids.push_back(f.id);
    std::optional<NewMessage> dsn;
    if (!d.message.mail_from.empty()) {
      dsn = build_failure_dsn(d.message, d.failed, opts_.dsn);
      if (is_local(d.message.mail_from)) dsn->recipients[0].route = Route::Local;
    }
    auto st = co_await queue_.complete_dsn(ids, dsn);
    log_dsn(d, dsn, st, ids.size());
    n += static_cast<int>(ids.size());
  }
  co_return n;
}

}  // namespace smimegw::transport
