// db: the processed copies of the queue (table queue_copies, migration 0013): stored when a
// recipient of a message with a plan is deferred, re-sent by later attempts (queue_store.hpp).
// Both statements run on the worker side with synchronous_commit off, like the retry they precede:
// a copy lost in a database crash is only made again by the next attempt.
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;

namespace {

constexpr Statement kCopyAsyncCommit{"queue_copy_async_commit",
                                     "SELECT set_config('synchronous_commit', 'off', true)"};
constexpr Statement kInsertCopy{
    "queue_copy_insert",
    "INSERT INTO queue_copies (message_id, body) VALUES ($1, $2) RETURNING id"};
// Only recipients still leased by this owner and without a copy take it.
constexpr Statement kAssignCopy{
    "queue_copy_assign",
    "UPDATE queue_recipients SET copy_id = $1 WHERE id = ANY($2::bigint[]) AND message_id = $3 "
    "  AND lease_owner = $4 AND state = 'pending' AND copy_id IS NULL"};
constexpr Statement kDropCopy{"queue_copy_drop", "DELETE FROM queue_copies WHERE id = $1"};
constexpr Statement kLoadCopies{"queue_copy_load",
                                "SELECT id, body FROM queue_copies WHERE id = ANY($1::bigint[])"};

std::string ids_literal(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "}";
}

}  // namespace

asio::awaitable<core::Result<std::int64_t>> PgQueueStore::store_copy(
    std::string owner, std::int64_t message_row, std::string body,
    std::vector<std::int64_t> rcpts) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::int64_t {
    exec(tx, kCopyAsyncCommit);
    pqxx::binarystring bytes(body.data(), body.size());
    auto id = exec1(tx, kInsertCopy, message_row, bytes)[0].as<std::int64_t>();
    if (exec(tx, kAssignCopy, id, ids_literal(rcpts), message_row, owner).affected_rows() > 0)
      return id;
    exec(tx, kDropCopy, id);  // every recipient has a copy already or was taken over
    return 0;
  });
}

asio::awaitable<core::Result<std::map<std::int64_t, std::string>>> PgQueueStore::load_copies(
    std::vector<std::int64_t> ids) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::map<std::int64_t, std::string> out;
    for (const auto& row : exec(tx, kLoadCopies, ids_literal(ids))) {
      pqxx::binarystring body(row[1]);
      out.emplace(row[0].as<std::int64_t>(), body.str());
    }
    return out;
  });
}

}  // namespace smimegw::db
