#include <chrono>

#include "smimegw/db/pg_queue_view_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using http::QueueItemView;

namespace {

constexpr Statement kPage{
    "queue_view_page",
    "SELECT m.id, m.queue_id, m.source, m.mail_from, extract(epoch FROM m.received_at)::float8, "
    "  m.size_bytes FROM queue_messages m "
    "WHERE ($1 = '' OR EXISTS (SELECT 1 FROM queue_recipients r WHERE r.message_id = m.id "
    "  AND r.state = $1)) AND ($2 = '' OR lower(m.mail_from) = $2) "
    "ORDER BY m.id DESC LIMIT $3 OFFSET $4"};
constexpr Statement kRecipients{
    "queue_view_recipients",
    "SELECT message_id, address, route, state, attempts, "
    "  extract(epoch FROM next_attempt_at)::float8, last_reply "
    "FROM queue_recipients WHERE message_id = ANY($1::bigint[]) ORDER BY message_id, id"};

std::chrono::system_clock::time_point from_epoch(double s) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(s)));
}

}  // namespace

asio::awaitable<core::Result<std::vector<QueueItemView>>> PgQueueViewStore::list(
    http::QueueQuery q) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<QueueItemView> out;
    std::vector<std::int64_t> rows;
    for (const auto& row : exec(tx, kPage, q.state, q.sender, q.limit, q.offset)) {
      QueueItemView v;
      rows.push_back(row[0].as<std::int64_t>());
      v.queue_id = row[1].as<std::string>();
      v.source = row[2].as<std::string>();
      v.mail_from = row[3].as<std::string>();
      v.received_at = from_epoch(row[4].as<double>());
      v.size_bytes = row[5].as<std::int64_t>();
      out.push_back(std::move(v));
    }
    if (rows.empty()) return out;
    std::string ids = "{";
    for (std::size_t i = 0; i < rows.size(); ++i) ids += (i ? "," : "") + std::to_string(rows[i]);
    ids += "}";
    for (const auto& r : exec(tx, kRecipients, ids)) {
      auto row_id = r[0].as<std::int64_t>();
      for (std::size_t i = 0; i < rows.size(); ++i) {
        if (rows[i] != row_id) continue;
        out[i].recipients.push_back({r[1].as<std::string>(), r[2].as<std::string>(),
                                     r[3].as<std::string>(), r[4].as<int>(),
                                     from_epoch(r[5].as<double>()), r[6].as<std::string>()});
      }
    }
    return out;
  });
}

}  // namespace smimegw::db
