// db: the mailbox store and its change feed (migration 0010). The feed itself is written by the
// trigger mailbox_record_change(); this file only reads it, soft-removes, appends and purges.
#include "smimegw/db/pg_mailbox_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using mailbox::ChangeRow;
using mailbox::StoredMessage;

namespace {
constexpr Statement kChanges{
    "mailbox_changes",
    "SELECT c.seq, c.created_seq, c.message_id, (c.removed OR m.id IS NULL), "
    "coalesce(floor(extract(epoch FROM m.received_at))::bigint, 0), coalesce(m.size_bytes, 0), "
    "substring(m.body FROM 1 FOR $5) "
    "FROM mailbox_changes c LEFT JOIN mailbox_messages m "
    "ON m.id = c.message_id AND NOT c.removed AND m.removed_at IS NULL "
    "WHERE c.mailbox = $1 AND c.folder = $2 AND c.seq > $3 ORDER BY c.seq LIMIT $4"};
constexpr Statement kHighWater{
    "mailbox_high_water",
    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM mailbox_change_seq"};
constexpr Statement kFindHead{
    "mailbox_find_head",
    "SELECT id, mailbox, folder, floor(extract(epoch FROM received_at))::bigint, size_bytes, "
    "substring(body FROM 1 FOR $3), coalesce(smime::text, ''), coalesce(label_id, ''), sealed "
    "FROM mailbox_messages "
    "WHERE id = $1 AND mailbox = $2 AND removed_at IS NULL"};
constexpr Statement kFindAll{
    "mailbox_find_all",
    "SELECT id, mailbox, folder, floor(extract(epoch FROM received_at))::bigint, size_bytes, body, "
    "coalesce(smime::text, ''), coalesce(label_id, ''), sealed FROM mailbox_messages WHERE id = $1 "
    "AND mailbox = $2 AND removed_at IS NULL"};
constexpr Statement kRemove{"mailbox_remove",
                            "UPDATE mailbox_messages SET removed_at = now() "
                            "WHERE id = $1 AND mailbox = $2 AND removed_at IS NULL"};
constexpr Statement kAppend{
    "mailbox_append",
    "INSERT INTO mailbox_messages (mailbox, folder, queue_id, message_id, size_bytes, body) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Statement kPurgeMessages{
    "mailbox_purge_messages",
    "DELETE FROM mailbox_messages WHERE removed_at < now() - make_interval(secs => $1)"};
constexpr Statement kPurgeTombstones{
    "mailbox_purge_tombstones",
    "DELETE FROM mailbox_changes WHERE removed AND changed_at < now() - make_interval(secs => $1)"};

std::string bytes(const pqxx::field& f) {
  if (f.is_null()) return {};
  pqxx::binarystring b(f);
  return b.str();
}

StoredMessage stored(const pqxx::row& r) {
  StoredMessage m;
  m.id = r[0].as<std::int64_t>();
  m.mailbox = r[1].as<std::string>();
  m.folder = r[2].as<std::string>();
  m.received_at = r[3].as<std::int64_t>();
  m.size_bytes = r[4].as<std::int64_t>();
  m.body = bytes(r[5]);
  m.smime_json = r[6].as<std::string>();
  m.label_id = r[7].as<std::string>();
  m.sealed = r[8].as<bool>();
  return m;
}
}  // namespace

asio::awaitable<core::Result<std::vector<ChangeRow>>> PgMailboxStore::changes(
    std::string mailbox, std::string folder, std::int64_t after, int limit, int head_bytes) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<ChangeRow> out;
    auto res = exec(tx, kChanges, mailbox, folder, after, limit, head_bytes);
    out.reserve(res.size());
    for (const auto& r : res) {
      ChangeRow c;
      c.seq = r[0].as<std::int64_t>();
      c.created_seq = r[1].as<std::int64_t>();
      c.message_id = r[2].as<std::int64_t>();
      c.removed = r[3].as<bool>();
      c.received_at = r[4].as<std::int64_t>();
      c.size_bytes = r[5].as<std::int64_t>();
      c.head = bytes(r[6]);
      out.push_back(std::move(c));
    }
    return out;
  });
}

asio::awaitable<core::Result<std::int64_t>> PgMailboxStore::high_water() {
  co_return co_await pool_.transact(
      [](pqxx::work& tx) { return exec1(tx, kHighWater)[0].as<std::int64_t>(); });
}

asio::awaitable<core::Result<std::optional<StoredMessage>>> PgMailboxStore::find(
    std::string mailbox, std::int64_t id, int head_bytes) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<StoredMessage> {
    auto res = head_bytes > 0 ? exec(tx, kFindHead, id, mailbox, head_bytes)
                              : exec(tx, kFindAll, id, mailbox);
    if (res.empty()) return std::nullopt;
    return stored(res[0]);
  });
}

asio::awaitable<core::Result<bool>> PgMailboxStore::remove(std::string mailbox, std::int64_t id) {
  co_return co_await pool_.transact(
      [&](pqxx::work& tx) { return exec(tx, kRemove, id, mailbox).affected_rows() == 1; });
}

asio::awaitable<core::Result<std::int64_t>> PgMailboxStore::append(mailbox::NewMessage msg) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    pqxx::binarystring body(msg.body.data(), msg.body.size());
    return exec1(tx, kAppend, msg.mailbox, msg.folder, msg.queue_id, msg.message_id,
                 static_cast<std::int64_t>(msg.body.size()), body)[0]
        .as<std::int64_t>();
  });
}

asio::awaitable<core::Result<std::int64_t>> PgMailboxStore::purge(std::int64_t older_than_s) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    const double secs = static_cast<double>(older_than_s);
    auto n = static_cast<std::int64_t>(exec(tx, kPurgeMessages, secs).affected_rows());
    exec(tx, kPurgeTombstones, secs);
    return n;
  });
}

}  // namespace smimegw::db
