// transport: Worker delivery of one claimed message — local recipients into the mailbox store,
// relay recipients grouped per destination into one SMTP transaction — and the outcome of each
// recipient (delivered / retry with backoff and, once, a delay DSN / failed).
#include <map>

#include "smimegw/core/address.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/transport/worker.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

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

struct RelayGroup {
  Destination dest;
  std::vector<const ClaimedRecipient*> rcpts;
};

RelayEnvelope relay_envelope(const QueuedMessage& m, const RelayGroup& g) {
  RelayEnvelope env{m.mail_from, m.envid, m.ret, {}};
  for (const auto* r : g.rcpts) env.rcpts.push_back({r->address, r->notify, r->orcpt});
  return env;
}

}  // namespace

asio::awaitable<void> Worker::deliver_local(ClaimedRecipient r, QueuedMessage m,
                                            std::vector<FailedRecipient>* delayed) {
  // Straight-line on purpose: g++ 12 destroyed class temporaries built inside co_await operands in
  // if/else branches twice (found under ASan), so the outcome is a named value.
  auto user = co_await users_.find_by_address(core::ascii_lower(r.address));
  RelayResult failure{false, false, "451 4.3.0 directory unavailable"};
  std::string mailbox;
  if (user && !*user) failure = {false, true, "550 5.1.1 mailbox no longer exists"};
  if (user && *user) mailbox = (*user)->address;
  if (mailbox.empty()) {
    co_await finish(r, m, failure, delayed);
    co_return;
  }
  bool success = success_dsn_wanted(m.mail_from, r.notify);
  auto st = co_await queue_.deliver_local(r, opts_.owner, mailbox, success);
  log_local_delivery(r, st);
}

asio::awaitable<void> Worker::deliver_message(std::int64_t row,
                                              std::vector<ClaimedRecipient> rcpts) {
  auto msg = co_await queue_.load(row);
  if (!msg) co_return;  // deleted meanwhile, or the database is down: the lease runs out, retried
  std::vector<FailedRecipient> delayed;
  std::map<std::string, RelayGroup> relay_groups;
  for (const auto& r : rcpts) {
    if (r.route == Route::Local) {
      co_await deliver_local(r, *msg, &delayed);
      continue;
    }
    auto at = r.address.rfind('@');
    auto dest = route_for(r.address.substr(at + 1), opts_.routes, opts_.smarthost);
    if (!dest || !relay_) {
      RelayResult no_route{false, false,
                           "451 4.4.0 no route to " + r.address.substr(at + 1) +
                               " (set relay.smarthost or relay.routes)"};
      co_await finish(r, *msg, no_route, &delayed);
      continue;
    }
    auto& g = relay_groups[dest->group_key()];
    g.dest = *dest;
    g.rcpts.push_back(&r);
  }
  for (auto& [key, group] : relay_groups) {
    auto results = co_await relay_->deliver(group.dest, relay_envelope(*msg, group), msg->body);
    // (no ?: temporaries inside coroutines: g++ 12 destroys them twice)
    results.resize(group.rcpts.size(), RelayResult{false, false, "451 4.3.0 no result from relay"});
    for (size_t i = 0; i < group.rcpts.size(); ++i)
      co_await finish(*group.rcpts[i], *msg, results[i], &delayed);
  }
  if (!delayed.empty()) co_await send_delay_dsn(std::move(*msg), std::move(delayed));
}

asio::awaitable<void> Worker::finish(ClaimedRecipient r, QueuedMessage m, RelayResult result,
                                     std::vector<FailedRecipient>* delayed) {
  auto log = obs::logger("transport");
  std::string route = "relay";
  if (r.route == Route::Local) route = "local";
  if (result.delivered) {
    // RFC 3461 §4.2: a next hop with DSN got NOTIFY and reports success itself.
    bool success = success_dsn_wanted(m.mail_from, r.notify) && !result.next_hop_dsn;
    co_await queue_.mark_delivered(r.id, opts_.owner, result.reply, success);
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
  if (opts_.delay_dsn_after.count() > 0 && !r.delay_dsn_sent && age >= opts_.delay_dsn_after &&
      delay_dsn_wanted(m.mail_from, r.notify))
    delayed->push_back({r.id, r.address, r.orcpt, result.reply, "delayed"});
}

asio::awaitable<void> Worker::send_delay_dsn(QueuedMessage m,
                                             std::vector<FailedRecipient> delayed) {
  std::vector<std::int64_t> ids;
  for (const auto& d : delayed) ids.push_back(d.id);
  auto dsn = build_dsn(m, delayed, opts_.dsn, DsnKind::Delay, m.received_at + opts_.max_age);
  if (is_local(m.mail_from)) dsn.recipients[0].route = Route::Local;
  auto dsn_id = dsn.queue_id;
  auto st = co_await queue_.complete_delay_dsn(ids, std::move(dsn));
  auto log = obs::logger("transport");
  obs::log(*log, st ? spdlog::level::info : spdlog::level::warn, "dsn",
           {{"queue_id", m.queue_id},
            {"kind", "delay"},
            {"to", m.mail_from},
            {"dsn_queue_id", dsn_id},
            {"rcpts", std::to_string(ids.size())}});
}

}  // namespace smimegw::transport
