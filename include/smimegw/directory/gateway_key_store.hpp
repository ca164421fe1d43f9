// directory: storage of the organisation's gateway keys (gateway_key.hpp; table gateway_keys,
// migration 0011). Implemented by db (src/db/gateway_key_store.cpp). Includes only core.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_store.hpp"

namespace smimegw::directory {

/// A stored gateway key row (the private key wrapped).
struct GatewayKeyRow {
  std::int64_t id = 0;
  std::vector<std::uint8_t> der;
  std::string thumbprint;
  WrappedKey key;
  bool active = false;
};

/// Storage of gateway keys; implemented by db (src/db/gateway_key_store.cpp). Blocking calls are
/// run on the pool's threads by the implementation (awaitable).
class GatewayKeyStore {
 public:
  virtual ~GatewayKeyStore() = default;
  /// Every key, the active one first.
  virtual boost::asio::awaitable<core::Result<std::vector<GatewayKeyRow>>> list() = 0;
  /// Stores `row` as the active key unless one is active already; returns false then.
  virtual boost::asio::awaitable<core::Result<bool>> add_if_none(
      GatewayKeyRow row, std::chrono::system_clock::time_point not_after) = 0;
};

}  // namespace smimegw::directory
