#include <chrono>

#include "queue_insert.hpp"
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

using namespace transport;
namespace asio = boost::asio;

namespace {

// Every statement of the queue store.
// Worker-side updates commit without waiting for the WAL flush (see pg_queue_store.hpp).
constexpr Statement kAsyncCommit{"queue_async_commit",
                                 "SELECT set_config('synchronous_commit', 'off', true)"};
constexpr Statement kClaim{
    "queue_claim",
    "WITH due AS (SELECT id FROM queue_recipients WHERE state = 'pending' AND next_attempt_at <= "
    "now() "
    "  AND (lease_expires_at IS NULL OR lease_expires_at < now()) "
    "  ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
    "UPDATE queue_recipients r SET lease_owner = $1, lease_expires_at = now() + make_interval(secs "
    "=> $2) "
    "FROM due, queue_messages m WHERE r.id = due.id AND m.id = r.message_id "
    "RETURNING r.id, r.message_id, m.queue_id, r.address, r.route, r.attempts, "
    "  extract(epoch FROM m.received_at)::float8, r.notify, r.orcpt, r.dsn_state, "
    "  coalesce(r.copy_id, 0)"};
constexpr Statement kLoad{
    "queue_load",
    "SELECT id, queue_id, source, mail_from, envid, ret, message_id, "
    "  extract(epoch FROM received_at)::float8, body, coalesce(plan::text, ''), "
    "  coalesce(label_id, ''), auth_user FROM queue_messages WHERE id = $1"};
constexpr Statement kInsertMailbox{
    "queue_insert_mailbox",
    "INSERT INTO mailbox_messages (mailbox, queue_recipient_id, queue_id, message_id, size_bytes, "
    "body) "
    "SELECT $2, r.id, m.queue_id, m.message_id, m.size_bytes, m.body FROM queue_recipients r "
    "JOIN queue_messages m ON m.id = r.message_id WHERE r.id = $1 "
    "ON CONFLICT (queue_recipient_id) DO NOTHING"};
constexpr Statement kLabelsOf{
    "queue_labels_of",
    "SELECT label_id FROM queue_messages WHERE message_id = ANY($1::text[]) AND label_id IS NOT "
    "NULL UNION SELECT label_id FROM mailbox_messages WHERE message_id = ANY($1::text[]) AND "
    "label_id IS NOT NULL LIMIT 100"};
constexpr Statement kInsertMailboxCopy{
    "queue_insert_mailbox_copy",
    "INSERT INTO mailbox_messages (mailbox, queue_recipient_id, queue_id, message_id, size_bytes, "
    "body, smime, label_id, sealed) "
    "SELECT $2, r.id, m.queue_id, m.message_id, $3, $4, nullif($5, '')::jsonb, nullif($6, ''), $7 "
    "FROM queue_recipients r JOIN queue_messages m ON m.id = r.message_id WHERE r.id = $1 "
    "ON CONFLICT (queue_recipient_id) DO NOTHING"};
constexpr Statement kDelivered{
    "queue_delivered",
    "UPDATE queue_recipients SET state = 'delivered', last_reply = $3, finished_at = now(), "
    "  attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, "
    "  dsn_state = CASE WHEN $4 THEN 'due' ELSE dsn_state END "
    "WHERE id = $1 AND lease_owner = $2 AND state = 'pending'"};
constexpr Statement kExtendLease{
    "queue_extend_lease",
    "UPDATE queue_recipients SET lease_expires_at = now() + make_interval(secs => $3) "
    "WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND state = 'pending'"};
constexpr Statement kDelaySent{"queue_delay_dsn_sent",
                               "UPDATE queue_recipients SET dsn_state = 'delay_sent' "
                               "WHERE id = ANY($1::bigint[]) AND dsn_state = 'none'"};
constexpr Statement kRetry{
    "queue_retry",
    "UPDATE queue_recipients SET attempts = attempts + 1, last_reply = $3, "
    "  next_attempt_at = to_timestamp($4), lease_owner = NULL, lease_expires_at = NULL "
    "WHERE id = $1 AND lease_owner = $2 AND state = 'pending'"};
constexpr Statement kFailed{
    "queue_failed",
    "UPDATE queue_recipients SET state = 'failed', attempts = attempts + 1, last_reply = $3, "
    "  finished_at = now(), lease_owner = NULL, lease_expires_at = NULL, "
    "  dsn_state = CASE WHEN $4 THEN 'due' ELSE 'suppressed' END "
    "WHERE id = $1 AND lease_owner = $2 AND state = 'pending'"};
constexpr Statement kClaimDsn{
    "queue_claim_dsn",
    "SELECT DISTINCT r.message_id FROM queue_recipients r WHERE r.dsn_state = 'due' "
    "  AND (r.lease_expires_at IS NULL OR r.lease_expires_at < now()) LIMIT $1"};
constexpr Statement kLockDsnRecipients{
    "queue_lock_dsn_recipients",
    "UPDATE queue_recipients SET lease_owner = $2, lease_expires_at = now() + interval '5 minutes' "
    "WHERE id IN (SELECT id FROM queue_recipients WHERE message_id = $1 AND dsn_state = 'due' "
    "  AND (lease_expires_at IS NULL OR lease_expires_at < now()) FOR UPDATE SKIP LOCKED) "
    "RETURNING id, address, orcpt, last_reply, state, route"};
constexpr Statement kDsnSent{
    "queue_dsn_sent",
    "UPDATE queue_recipients SET dsn_state = $2, lease_owner = NULL, lease_expires_at = NULL "
    "WHERE id = ANY($1::bigint[])"};
constexpr Statement kList{
    "queue_list",
    "SELECT m.id, m.queue_id, m.source, m.mail_from, extract(epoch FROM m.received_at)::float8, "
    "  m.size_bytes FROM queue_messages m WHERE NOT $1 OR EXISTS "
    "  (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id AND r.state = 'pending') "
    "ORDER BY m.id DESC LIMIT $2"};
constexpr Statement kShow{
    "queue_show",
    "SELECT id, queue_id, source, mail_from, extract(epoch FROM received_at)::float8, size_bytes "
    "FROM queue_messages WHERE queue_id = $1"};
constexpr Statement kRecipientsOf{"queue_recipients_of",
                                  "SELECT address, route, state, attempts, extract(epoch FROM "
                                  "next_attempt_at)::float8, last_reply "
                                  "FROM queue_recipients WHERE message_id = $1 ORDER BY id"};
constexpr Statement kRetryNow{"queue_retry_now",
                              "UPDATE queue_recipients r SET next_attempt_at = now(), lease_owner "
                              "= NULL, lease_expires_at = NULL, "
                              "  state = 'pending', dsn_state = CASE WHEN r.state = 'failed' THEN "
                              "'none' ELSE r.dsn_state END "
                              "FROM queue_messages m WHERE m.id = r.message_id AND m.queue_id = $1 "
                              "AND r.state <> 'delivered'"};
constexpr Statement kExists{"queue_exists", "SELECT 1 FROM queue_messages WHERE queue_id = $1"};
constexpr Statement kDelete{"queue_delete", "DELETE FROM queue_messages WHERE queue_id = $1"};

TimePoint from_epoch(double seconds) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(seconds)));
}

double to_epoch(TimePoint t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// A delivered recipient is reported "delivered" when stored locally, "relayed" when handed to a
// next hop without DSN support (RFC 3464 §2.3.3).
std::string dsn_action(const std::string& state, const std::string& route) {
  if (state != "delivered") return "failed";
  return route == "local" ? "delivered" : "relayed";
}

QueuedMessage read_message(const pqxx::row& row) {
  QueuedMessage m;
  m.row = row[0].as<std::int64_t>();
  m.queue_id = row[1].as<std::string>();
  m.source = row[2].as<std::string>();
  m.mail_from = row[3].as<std::string>();
  m.envid = row[4].as<std::string>();
  m.ret = row[5].as<std::string>();
  m.message_id = row[6].as<std::string>();
  m.received_at = from_epoch(row[7].as<double>());
  pqxx::binarystring body(row[8]);
  m.body = body.str();
  m.plan_json = row[9].as<std::string>();
  m.label_id = row[10].as<std::string>();
  if (!row[11].is_null()) m.auth_user = row[11].as<std::string>();
  return m;
}

std::string id_array(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

core::Status lost_lease_is_ok(const core::Result<pqxx::result::size_type>& r) {
  // Zero rows changed means another instance owns the recipient now; its outcome stands.
  if (!r) return r.error();
  return {};
}

QueueEntry read_entry(pqxx::work& tx, const pqxx::row& row) {
  QueueEntry e;
  e.queue_id = row[1].as<std::string>();
  e.source = row[2].as<std::string>();
  e.mail_from = row[3].as<std::string>();
  e.received_at = from_epoch(row[4].as<double>());
  e.size_bytes = row[5].as<std::int64_t>();
  for (const auto& r : exec(tx, kRecipientsOf, row[0].as<std::int64_t>()))
    e.recipients.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                            r[3].as<int>(), from_epoch(r[4].as<double>()), r[5].as<std::string>()});
  return e;
}

}  // namespace

asio::awaitable<core::Result<std::vector<ClaimedRecipient>>> PgQueueStore::claim(
    std::string owner, std::chrono::seconds lease, int max) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<ClaimedRecipient> out;
    exec(tx, kAsyncCommit);
    for (const auto& row : exec(tx, kClaim, owner, static_cast<double>(lease.count()), max)) {
      ClaimedRecipient c;
      c.id = row[0].as<std::int64_t>();
      c.message_row = row[1].as<std::int64_t>();
      c.queue_id = row[2].as<std::string>();
      c.address = row[3].as<std::string>();
      c.route = row[4].as<std::string>() == "local" ? Route::Local : Route::Relay;
      c.attempts = row[5].as<int>();
      c.received_at = from_epoch(row[6].as<double>());
      c.notify = static_cast<unsigned>(row[7].as<int>());
      c.orcpt = row[8].as<std::string>();
      c.delay_dsn_sent = row[9].as<std::string>() == "delay_sent";
      c.copy_id = row[10].as<std::int64_t>();
      out.push_back(std::move(c));
    }
    return out;
  });
}

asio::awaitable<core::Result<QueuedMessage>> PgQueueStore::load(std::int64_t row) {
  auto r = co_await pool_.transact([row](pqxx::work& tx) -> std::optional<QueuedMessage> {
    auto res = exec(tx, kLoad, row);
    if (res.empty()) return std::nullopt;
    return read_message(res[0]);
  });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("not_found", "queued message is gone");
  co_return std::move(**r);
}

asio::awaitable<core::Status> PgQueueStore::deliver_local(ClaimedRecipient rcpt, std::string owner,
                                                          std::string mailbox, bool success_dsn,
                                                          std::optional<LocalCopy> copy) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    if (copy) {
      pqxx::binarystring body(copy->body.data(), copy->body.size());
      exec(tx, kInsertMailboxCopy, rcpt.id, mailbox, static_cast<std::int64_t>(copy->body.size()),
           body, copy->smime_json, copy->label_id, copy->sealed);
    } else {
      exec(tx, kInsertMailbox, rcpt.id, mailbox);
    }
    return exec(tx, kDelivered, rcpt.id, owner, std::string("250 2.0.0 stored in mailbox"),
                success_dsn)
        .affected_rows();
  });
  co_return lost_lease_is_ok(r);
}

asio::awaitable<core::Result<std::vector<std::string>>> PgQueueStore::labels_of(
    std::vector<std::string> message_ids) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<std::string> out;
    std::string arr = "{";
    for (std::size_t i = 0; i < message_ids.size(); ++i) {
      arr += i ? "," : "";
      arr += '"';
      for (char c : message_ids[i]) {
        if (c == '"' || c == '\\') arr += '\\';
        arr += c;
      }
      arr += '"';
    }
    arr += "}";
    for (const auto& row : exec(tx, kLabelsOf, arr)) out.push_back(row[0].as<std::string>());
    return out;
  });
}

asio::awaitable<core::Status> PgQueueStore::mark_delivered(std::int64_t rcpt, std::string owner,
                                                           std::string reply, bool success_dsn) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    exec(tx, kAsyncCommit);
    return exec(tx, kDelivered, rcpt, owner, reply, success_dsn).affected_rows();
  });
  co_return lost_lease_is_ok(r);
}

asio::awaitable<core::Result<int>> PgQueueStore::extend_lease(std::vector<std::int64_t> rcpts,
                                                              std::string owner,
                                                              std::chrono::seconds lease) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    exec(tx, kAsyncCommit);
    return static_cast<int>(
        exec(tx, kExtendLease, id_array(rcpts), owner, static_cast<double>(lease.count()))
            .affected_rows());
  });
  if (!r) co_return r.error();
  co_return *r;
}

asio::awaitable<core::Status> PgQueueStore::complete_delay_dsn(std::vector<std::int64_t> rcpts,
                                                               NewMessage dsn) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    if (exec(tx, kDelaySent, id_array(rcpts)).affected_rows() > 0) insert_queue_message(tx, dsn);
  });
}

asio::awaitable<core::Status> PgQueueStore::mark_retry(std::int64_t rcpt, std::string owner,
                                                       std::string reply, TimePoint next) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    exec(tx, kAsyncCommit);
    return exec(tx, kRetry, rcpt, owner, reply, to_epoch(next)).affected_rows();
  });
  co_return lost_lease_is_ok(r);
}

asio::awaitable<core::Status> PgQueueStore::mark_failed(std::int64_t rcpt, std::string owner,
                                                        std::string reply, bool dsn) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    exec(tx, kAsyncCommit);
    return exec(tx, kFailed, rcpt, owner, reply, dsn).affected_rows();
  });
  co_return lost_lease_is_ok(r);
}

asio::awaitable<core::Result<std::vector<DsnDue>>> PgQueueStore::claim_dsn(std::string owner,
                                                                           int max) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<DsnDue> out;
    for (const auto& m : exec(tx, kClaimDsn, max)) {
      auto row = m[0].as<std::int64_t>();
      DsnDue due;
      for (const auto& r : exec(tx, kLockDsnRecipients, row, owner))
        due.failed.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(),
                              r[2].as<std::string>(), r[3].as<std::string>(),
                              dsn_action(r[4].as<std::string>(), r[5].as<std::string>())});
      if (due.failed.empty()) continue;
      due.message = read_message(exec1(tx, kLoad, row));
      out.push_back(std::move(due));
    }
    return out;
  });
}

asio::awaitable<core::Status> PgQueueStore::complete_dsn(std::vector<std::int64_t> rcpts,
                                                         std::optional<NewMessage> dsn) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    if (dsn) insert_queue_message(tx, *dsn);
    exec(tx, kDsnSent, id_array(rcpts), std::string(dsn ? "sent" : "suppressed"));
  });
}

asio::awaitable<core::Result<std::vector<QueueEntry>>> PgQueueStore::list(bool pending_only,
                                                                          int limit) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<QueueEntry> out;
    for (const auto& row : exec(tx, kList, pending_only, limit)) out.push_back(read_entry(tx, row));
    return out;
  });
}

asio::awaitable<core::Result<std::optional<QueueEntry>>> PgQueueStore::show(std::string queue_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<QueueEntry> {
    auto res = exec(tx, kShow, queue_id);
    if (res.empty()) return std::nullopt;
    return read_entry(tx, res[0]);
  });
}

asio::awaitable<core::Result<int>> PgQueueStore::retry(std::string queue_id) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> int {
    if (exec(tx, kExists, queue_id).empty()) return -1;
    return static_cast<int>(exec(tx, kRetryNow, queue_id).affected_rows());
  });
  if (!r) co_return r.error();
  if (*r < 0) co_return core::Error::make("not_found", "no queued message " + queue_id);
  co_return *r;
}

asio::awaitable<core::Status> PgQueueStore::remove(std::string queue_id) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return exec(tx, kDelete, queue_id).affected_rows(); });
  if (!r) co_return r.error();
  if (*r == 0) co_return core::Error::make("not_found", "no queued message " + queue_id);
  co_return core::Status{};
}

}  // namespace smimegw::db
