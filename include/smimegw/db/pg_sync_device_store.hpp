// db: PostgreSQL implementation of http::sync::DeviceStore (table sync_devices, migration 0012).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/http/sync_device_store.hpp"

namespace smimegw::db {

class PgSyncDeviceStore final : public http::sync::DeviceStore {
 public:
  explicit PgSyncDeviceStore(Pool& pool) : pool_(pool) {}

  boost::asio::awaitable<core::Result<http::sync::Device>> add(std::int64_t user_id,
                                                               std::string device_id,
                                                               std::string name) override;
  boost::asio::awaitable<core::Result<std::vector<http::sync::Device>>> list(
      std::int64_t user_id) override;
  boost::asio::awaitable<core::Result<std::optional<http::sync::Device>>> find(
      std::int64_t user_id, std::int64_t id) override;
  boost::asio::awaitable<core::Status> delivered(std::int64_t user_id, std::int64_t id) override;
  boost::asio::awaitable<core::Status> remove(std::int64_t user_id, std::int64_t id) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
