// db: PostgreSQL implementation of http::QueueViewStore (the admin API's queue listing).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/http/queue_view_store.hpp"

namespace smimegw::db {

class PgQueueViewStore final : public http::QueueViewStore {
 public:
  explicit PgQueueViewStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::vector<http::QueueItemView>>> list(
      http::QueueQuery q) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
