// db: the message trace (transport/trace.hpp). Intake events are written by enqueue in the
// message's own transaction (queue_enqueue.cpp); later stages append here.
#include "smimegw/db/pg_trace_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using transport::TraceEvent;

namespace {

constexpr Statement kInsert{"trace_insert",
                            "INSERT INTO message_trace (queue_id, stage, event, recipient, detail) "
                            "VALUES ($1,$2,$3,$4,$5::jsonb)"};
constexpr Statement kList{
    "trace_list",
    "SELECT queue_id, stage, event, recipient, detail::text, extract(epoch FROM at)::float8 "
    "FROM message_trace WHERE queue_id = $1 ORDER BY id LIMIT 10000"};

}  // namespace

asio::awaitable<core::Status> PgTraceStore::record(std::vector<TraceEvent> events) {
  if (events.empty()) co_return core::Status{};
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    for (const auto& e : events)
      exec(tx, kInsert, e.queue_id, e.stage, e.event, e.recipient, e.detail_json);
  });
}

asio::awaitable<core::Result<std::vector<TraceEvent>>> PgTraceStore::list(std::string queue_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<TraceEvent> out;
    for (const auto& row : exec(tx, kList, queue_id)) {
      TraceEvent e{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<std::string>(), row[4].as<std::string>(), {}};
      auto secs = row[5].as<double>();
      e.at = std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              std::chrono::duration<double>(secs)));
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace smimegw::db
