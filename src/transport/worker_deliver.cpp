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
  std::size_t copy = 0;
  std::vector<const ClaimedRecipient*> rcpts;
};

// The copy whose recipient list names `address` (a copy without a list is everyone's);
// copies.size() when none does.
std::size_t copy_for(const std::vector<OutboundCopy>& copies, const std::string& address) {
  auto key = core::ascii_lower(address);
  for (std::size_t i = 0; i < copies.size(); ++i) {
    if (copies[i].recipients.empty()) return i;
    for (const auto& a : copies[i].recipients)
      if (a == key) return i;
  }
  return copies.size();
}

// An error of the processing steps as a delivery outcome: temporary → retried, otherwise failed
// (with a DSN naming the reason).
RelayResult processing_failure(const core::Error& e, const char* what) {
  if (e.temporary) return {false, false, std::string("451 4.3.0 ") + what + ": " + e.message};
  return {false, true, std::string("554 5.7.0 ") + what + ": " + e.message};
}
RelayResult outbound_failure(const core::Error& e) {
  return processing_failure(e, "outbound S/MIME processing failed");
}
RelayResult local_failure(const core::Error& e) {
  return processing_failure(e, "local delivery processing failed");
}

RelayEnvelope relay_envelope(const QueuedMessage& m, const RelayGroup& g) {
  RelayEnvelope env{m.mail_from, m.envid, m.ret, {}};
  for (const auto* r : g.rcpts) env.rcpts.push_back({r->address, r->notify, r->orcpt});
  return env;
}

}  // namespace

asio::awaitable<std::optional<RelayResult>> Worker::deliver_local(const ClaimedRecipient& r,
                                                                  const QueuedMessage& m,
                                                                  std::string body) {
  // Straight-line on purpose: g++ 12 destroyed class temporaries built inside co_await operands in
  // if/else branches twice (found under ASan), so the outcome is a named value.
  auto user = co_await users_.find_by_address(core::ascii_lower(r.address));
  RelayResult failure{false, false, "451 4.3.0 directory unavailable"};
  std::string mailbox;
  if (user && !*user) failure = {false, true, "550 5.1.1 mailbox no longer exists"};
  if (user && *user) mailbox = (*user)->address;
  if (mailbox.empty()) co_return failure;
  std::optional<LocalCopy> copy;
  if (local_) {
    LocalInput in{m.queue_id, m.source, mailbox, std::move(body), m.label_id};
    auto processed = co_await local_->process(std::move(in));
    if (!processed) {
      RelayResult refused = local_failure(processed.error());
      co_return refused;
    }
    copy = std::move(*processed);
  } else if (!m.plan_json.empty()) {
    copy = LocalCopy{std::move(body), "", m.label_id, false};
  }
  bool success = success_dsn_wanted(m.mail_from, r.notify);
  auto st = co_await queue_.deliver_local(r, opts_.owner, mailbox, success, std::move(copy));
  log_local_delivery(r, st);
  co_return std::nullopt;
}

asio::awaitable<void> Worker::deliver_message(std::int64_t row,
                                              std::vector<ClaimedRecipient> rcpts) {
  auto msg = co_await queue_.load(row);
  if (!msg) co_return;  // deleted meanwhile, or the database is down: the lease runs out, retried
  std::vector<FailedRecipient> delayed;
  // The bodies: as queued, or the outbound copies of a message with a plan (stored ones for
  // recipients deferred before, freshly processed for the others). A message with a plan is never
  // delivered as queued: without an outbound processor, or when it fails, every recipient is
  // retried or failed (ARCHITECTURE invariant 2).
  std::vector<OutboundCopy> copies;
  if (msg->plan_json.empty()) {
    copies.push_back({{}, msg->body, 0});
  } else {
    auto made = co_await outbound_copies(*msg, rcpts);
    if (!made) {
      RelayResult failed = outbound_failure(made.error());
      for (const auto& r : rcpts) co_await finish(r, *msg, failed, &delayed);
      if (!delayed.empty()) co_await send_delay_dsn(std::move(*msg), std::move(delayed));
      co_return;
    }
    copies = std::move(*made);
  }
  std::vector<Outcome> outcomes;
  std::map<std::string, RelayGroup> relay_groups;
  for (const auto& r : rcpts) {
    std::size_t copy = copy_for(copies, r.address);
    if (copy >= copies.size()) {
      outcomes.push_back(
          {&r, copy, {false, false, "451 4.3.0 no outbound copy for this recipient"}});
      continue;
    }
    if (r.route == Route::Local) {
      auto failed = co_await deliver_local(r, *msg, copies[copy].body);
      if (failed) outcomes.push_back({&r, copy, std::move(*failed)});
      continue;
    }
    auto at = r.address.rfind('@');
    auto dest = route_for(r.address.substr(at + 1), opts_.routes, opts_.smarthost);
    if (!dest || !relay_) {
      outcomes.push_back({&r,
                          copy,
                          {false, false,
                           "451 4.4.0 no route to " + r.address.substr(at + 1) +
                               " (set relay.smarthost or relay.routes)"}});
      continue;
    }
    auto& g = relay_groups[dest->group_key() + "#" + std::to_string(copy)];
    g.dest = *dest;
    g.copy = copy;
    g.rcpts.push_back(&r);
  }
  for (auto& [key, group] : relay_groups) {
    auto results =
        co_await relay_->deliver(group.dest, relay_envelope(*msg, group), copies[group.copy].body);
    // (no ?: temporaries inside coroutines: g++ 12 destroys them twice)
    results.resize(group.rcpts.size(), RelayResult{false, false, "451 4.3.0 no result from relay"});
    for (size_t i = 0; i < group.rcpts.size(); ++i)
      outcomes.push_back({group.rcpts[i], group.copy, std::move(results[i])});
  }
  // A deferred recipient's copy is stored before its retry is recorded: the next attempt re-sends.
  if (!msg->plan_json.empty()) co_await keep_copies(*msg, copies, outcomes);
  for (const auto& o : outcomes) co_await finish(*o.rcpt, *msg, o.result, &delayed);
  if (!delayed.empty()) co_await send_delay_dsn(std::move(*msg), std::move(delayed));
}

asio::awaitable<void> Worker::finish(const ClaimedRecipient& r, const QueuedMessage& m,
                                     RelayResult result, std::vector<FailedRecipient>* delayed) {
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
  if (!will_retry(r, result)) {
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
