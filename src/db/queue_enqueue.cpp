// db: PgQueueStore::enqueue with group commit. Concurrent SMTP sessions' messages are collected
// while one commit is in flight and committed together in the next transaction: one WAL flush
// (fsync) acknowledges many messages, and only one pool thread waits on the disk for intake. Every
// caller is resumed only after the transaction holding its message committed (ARCHITECTURE
// invariant 1). If a batch of several fails, each message is retried in a transaction of its own,
// so one bad message cannot fail its neighbours.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "queue_insert.hpp"
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

using namespace transport;
namespace asio = boost::asio;

namespace {

constexpr Statement kInsertMessage{
    "queue_insert_message",
    "INSERT INTO queue_messages (queue_id, source, mail_from, auth_user, client_address, envid, "
    "ret, message_id, size_bytes, body, plan, label_id) "
    "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,nullif($11, '')::jsonb,nullif($12, '')) RETURNING id"};
constexpr Statement kInsertTrace{
    "queue_insert_trace",
    "INSERT INTO message_trace (queue_id, stage, event, recipient, detail) "
    "VALUES ($1,$2,$3,$4,$5::jsonb)"};
constexpr Statement kInsertRecipient{
    "queue_insert_recipient",
    "INSERT INTO queue_recipients (message_id, address, orcpt, notify, route) "
    "VALUES ($1,$2,$3,$4,$5)"};

constexpr std::size_t kMaxBatchMessages = 64;
constexpr std::size_t kMaxBatchBytes = 32 * 1024 * 1024;

}  // namespace

void insert_queue_message(pqxx::work& tx, const NewMessage& msg) {
  pqxx::binarystring body(msg.body.data(), msg.body.size());
  auto id = exec1(tx, kInsertMessage, msg.queue_id, msg.source, msg.mail_from, msg.auth_user,
                  msg.client_address, msg.envid, msg.ret, msg.message_id,
                  static_cast<std::int64_t>(msg.body.size()), body, msg.plan_json, msg.label_id)[0]
                .as<std::int64_t>();
  for (const auto& r : msg.recipients)
    exec(tx, kInsertRecipient, id, r.address, r.orcpt, static_cast<int>(r.notify),
         r.route == Route::Local ? "local" : "relay");
  for (const auto& t : msg.trace)
    exec(tx, kInsertTrace, t.queue_id, t.stage, t.event, t.recipient, t.detail_json);
}

struct PgQueueStore::Waiter {
  explicit Waiter(asio::any_io_executor ex, NewMessage m)
      : timer(ex, asio::steady_timer::time_point::max()), msg(std::move(m)) {}
  asio::steady_timer timer;  ///< cancelled (on the caller's executor) when the result is in
  NewMessage msg;
  core::Status status;
};

asio::awaitable<core::Status> PgQueueStore::enqueue(NewMessage msg) {
  auto ex = co_await asio::this_coro::executor;
  auto w = std::make_shared<Waiter>(ex, std::move(msg));
  bool lead = false;
  {
    std::lock_guard lock(mu_);
    pending_.push_back(w);
    if (!flushing_) flushing_ = lead = true;
  }
  if (lead) asio::co_spawn(ex, flush_enqueued(), asio::detached);
  // The cancel is posted to this coroutine's executor, so it runs after this wait has started.
  co_await w->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return w->status;
}

std::vector<std::shared_ptr<PgQueueStore::Waiter>> PgQueueStore::take_batch() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<Waiter>> batch;
  std::size_t bytes = 0, n = 0;
  while (n < pending_.size() && n < kMaxBatchMessages &&
         (n == 0 || bytes + pending_[n]->msg.body.size() <= kMaxBatchBytes))
    bytes += pending_[n++]->msg.body.size();
  batch.assign(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  if (batch.empty()) flushing_ = false;
  return batch;
}

asio::awaitable<void> PgQueueStore::flush_enqueued() {
  for (;;) {
    auto batch = take_batch();
    if (batch.empty()) break;
    auto st = co_await pool_.transact([&batch](pqxx::work& tx) {
      for (const auto& w : batch) insert_queue_message(tx, w->msg);
    });
    if (!st && batch.size() > 1) {
      for (auto& w : batch) {
        NewMessage* m = &w->msg;
        w->status = co_await pool_.transact([m](pqxx::work& tx) { insert_queue_message(tx, *m); });
      }
    } else {
      for (auto& w : batch) w->status = st;
    }
    for (auto& w : batch) asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
  }
}

}  // namespace smimegw::db
