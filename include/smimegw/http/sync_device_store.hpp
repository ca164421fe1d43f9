// http: storage interface for the devices a user enrols through the sync API (table
// sync_devices, migration 0012): POST/GET/DELETE /v1.0/me/devices and the PKCS#12 deliveries to
// them. Declared here, implemented by db (src/db/sync_device_store.cpp); includes only core and
// std. Every call is scoped to the owner's user id: another user's device is not_found. Errors:
// db_duplicate (the user already enrolled that deviceId), not_found, db_unavailable (transient),
// db_error.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http::sync {

struct Device {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string device_id;  ///< the client's identifier
  std::string name;
  std::chrono::system_clock::time_point created_at{};
  std::optional<std::chrono::system_clock::time_point> last_delivery_at;
  int deliveries = 0;
};

class DeviceStore {
 public:
  virtual ~DeviceStore() = default;
  /// Enrols a device; db_duplicate when the user already has one with `device_id`.
  virtual boost::asio::awaitable<core::Result<Device>> add(std::int64_t user_id,
                                                           std::string device_id,
                                                           std::string name) = 0;
  /// The user's devices, oldest first.
  virtual boost::asio::awaitable<core::Result<std::vector<Device>>> list(std::int64_t user_id) = 0;
  /// One of the user's devices; nullopt when the user has none with `id`.
  virtual boost::asio::awaitable<core::Result<std::optional<Device>>> find(std::int64_t user_id,
                                                                           std::int64_t id) = 0;
  /// Counts one PKCS#12 delivery (deliveries + 1, last_delivery_at = now).
  virtual boost::asio::awaitable<core::Status> delivered(std::int64_t user_id, std::int64_t id) = 0;
  /// Removes the device; not_found when the user has none with `id`.
  virtual boost::asio::awaitable<core::Status> remove(std::int64_t user_id, std::int64_t id) = 0;
};

}  // namespace smimegw::http::sync
