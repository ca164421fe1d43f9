// obs: readiness. Services register named checks; /readyz runs them all and is ready only when
// every check passes. Liveness (/healthz) needs no checks: answering at all is the proof.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::obs {

struct CheckResult {
  std::string name;
  bool ok = false;
  std::string detail;  ///< safe text: no connection strings, no SQL
};

class Health {
 public:
  using Check = std::function<boost::asio::awaitable<core::Status>()>;
  void add(std::string name, Check check);
  /// Runs every check in registration order.
  boost::asio::awaitable<std::vector<CheckResult>> run() const;

 private:
  std::vector<std::pair<std::string, Check>> checks_;
};

}  // namespace smimegw::obs
