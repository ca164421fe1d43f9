// http/admin: operations views of the admin API — message trace, expiring user certificates and
// the CRLs the gateway holds (status, refresh now). Implemented by app
// (src/app/admin_operations.cpp) over the trace store, http::AdminStore and the trust service.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/http/admin_store.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::http::admin {

struct CrlView {
  std::string url;
  std::string issuer;
  std::chrono::system_clock::time_point this_update;
  std::optional<std::chrono::system_clock::time_point> next_update;
  std::chrono::system_clock::time_point fetched_at;
  std::optional<std::string> last_result;  ///< "ok" or "code: message" of the last refresh
  std::optional<std::chrono::system_clock::time_point> last_attempt;
};

struct CrlRefreshView {
  std::string url;
  bool ok = false;
  std::string error;  ///< "code: message" when !ok
  std::optional<std::chrono::system_clock::time_point> next_update;
};

class Operations {
 public:
  virtual ~Operations() = default;
  /// The trace of a queued message as `smimegw trace ID --json` prints it; not_found when nothing
  /// is recorded.
  virtual boost::asio::awaitable<core::Result<boost::json::array>> trace(std::string queue_id) = 0;
  /// Page of enabled user certificates expiring within `days` (page.top + 1 at most).
  virtual boost::asio::awaitable<core::Result<std::vector<ExpiringCertificate>>> expiring(
      int days, Page page) = 0;
  virtual boost::asio::awaitable<core::Result<std::vector<CrlView>>> crls() = 0;
  /// Fetches every held CRL again now.
  virtual boost::asio::awaitable<core::Result<std::vector<CrlRefreshView>>> refresh_crls() = 0;
};

}  // namespace smimegw::http::admin
