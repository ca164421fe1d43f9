// db: the sync API's enrolled devices (http/sync_device_store.hpp).
#include "smimegw/db/pg_sync_device_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using http::sync::Device;

namespace {

#define SMIMEGW_DEVICE_COLUMNS                                             \
  "id, user_id, device_id, name, extract(epoch FROM created_at)::float8, " \
  "extract(epoch FROM last_delivery_at)::float8, deliveries"

constexpr Statement kAdd{
    "sync_devices_add",
    "INSERT INTO sync_devices (user_id, device_id, name) VALUES ($1, $2, $3) "
    "ON CONFLICT (user_id, device_id) DO NOTHING RETURNING " SMIMEGW_DEVICE_COLUMNS};
constexpr Statement kList{"sync_devices_list", "SELECT " SMIMEGW_DEVICE_COLUMNS
                                               " FROM sync_devices WHERE user_id = $1 ORDER BY id"};
constexpr Statement kFind{"sync_devices_find", "SELECT " SMIMEGW_DEVICE_COLUMNS
                                               " FROM sync_devices WHERE user_id = $1 AND id = $2"};
constexpr Statement kDelivered{"sync_devices_delivered",
                               "UPDATE sync_devices SET deliveries = deliveries + 1, "
                               "last_delivery_at = now() WHERE user_id = $1 AND id = $2"};
constexpr Statement kRemove{"sync_devices_remove",
                            "DELETE FROM sync_devices WHERE user_id = $1 AND id = $2"};

#undef SMIMEGW_DEVICE_COLUMNS

std::chrono::system_clock::time_point from_epoch(double s) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(s)));
}

Device read_device(const pqxx::row& r) {
  Device d;
  d.id = r[0].as<std::int64_t>();
  d.user_id = r[1].as<std::int64_t>();
  d.device_id = r[2].as<std::string>();
  d.name = r[3].as<std::string>();
  d.created_at = from_epoch(r[4].as<double>());
  if (!r[5].is_null()) d.last_delivery_at = from_epoch(r[5].as<double>());
  d.deliveries = r[6].as<int>();
  return d;
}

core::Error no_device() {
  return core::Error::make("not_found", "no such device");
}

}  // namespace

asio::awaitable<core::Result<Device>> PgSyncDeviceStore::add(std::int64_t user_id,
                                                             std::string device_id,
                                                             std::string name) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::optional<Device> {
    auto res = exec(tx, kAdd, user_id, device_id, name);
    if (res.empty()) return std::nullopt;
    return read_device(res[0]);
  });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("db_duplicate", "a device with this deviceId is enrolled");
  co_return std::move(**r);
}

asio::awaitable<core::Result<std::vector<Device>>> PgSyncDeviceStore::list(std::int64_t user_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<Device> out;
    for (const auto& row : exec(tx, kList, user_id)) out.push_back(read_device(row));
    return out;
  });
}

asio::awaitable<core::Result<std::optional<Device>>> PgSyncDeviceStore::find(std::int64_t user_id,
                                                                             std::int64_t id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<Device> {
    auto res = exec(tx, kFind, user_id, id);
    if (res.empty()) return std::nullopt;
    return read_device(res[0]);
  });
}

asio::awaitable<core::Status> PgSyncDeviceStore::delivered(std::int64_t user_id, std::int64_t id) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return exec(tx, kDelivered, user_id, id).affected_rows(); });
  if (!r) co_return r.error();
  if (*r == 0) co_return no_device();
  co_return core::Status{};
}

asio::awaitable<core::Status> PgSyncDeviceStore::remove(std::int64_t user_id, std::int64_t id) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return exec(tx, kRemove, user_id, id).affected_rows(); });
  if (!r) co_return r.error();
  if (*r == 0) co_return no_device();
  co_return core::Status{};
}

}  // namespace smimegw::db
