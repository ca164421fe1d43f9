// db: PostgreSQL implementation of http::SyncUserStore (table users).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/http/sync_user_store.hpp"

namespace smimegw::db {

class PgSyncUserStore final : public http::SyncUserStore {
 public:
  explicit PgSyncUserStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::optional<http::SyncUser>>> find_user(
      std::int64_t id) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
