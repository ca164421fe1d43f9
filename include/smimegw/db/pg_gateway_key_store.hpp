// db: PostgreSQL implementation of directory::GatewayKeyStore (table gateway_keys, migration 0011).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/directory/gateway_key_store.hpp"

namespace smimegw::db {

class PgGatewayKeyStore final : public directory::GatewayKeyStore {
 public:
  explicit PgGatewayKeyStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::vector<directory::GatewayKeyRow>>> list() override;
  boost::asio::awaitable<core::Result<bool>> add_if_none(
      directory::GatewayKeyRow row, std::chrono::system_clock::time_point not_after) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
