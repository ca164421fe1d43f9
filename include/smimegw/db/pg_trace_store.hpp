// db: PostgreSQL implementation of transport::TraceStore (table message_trace, migration 0011).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/transport/trace_store.hpp"

namespace smimegw::db {

class PgTraceStore final : public transport::TraceStore {
 public:
  explicit PgTraceStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Status> record(std::vector<transport::TraceEvent> events) override;
  boost::asio::awaitable<core::Result<std::vector<transport::TraceEvent>>> list(
      std::string queue_id) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
