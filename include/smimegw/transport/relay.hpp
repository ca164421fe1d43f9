// transport: the outbound side's view of an SMTP client, and where each domain's mail goes.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smimegw::transport {

struct Destination {
  std::string host;
  std::uint16_t port = 25;
  std::string tls = "opportunistic";  ///< none | opportunistic | required
  std::string key() const { return host + ":" + std::to_string(port); }
};

/// Outcome for one recipient of a relay attempt.
struct RelayResult {
  bool delivered = false;
  bool permanent = false;  ///< a 5xx; otherwise retry later
  std::string reply;       ///< "250 2.0.0 ok" or the failure text (for DSNs and the queue)
};

class RelayClient {
 public:
  virtual ~RelayClient() = default;
  /// Delivers one message to `dest` for `rcpts`; returns one result per recipient, in order.
  virtual boost::asio::awaitable<std::vector<RelayResult>> deliver(Destination dest,
                                                                   std::string mail_from,
                                                                   std::vector<std::string> rcpts,
                                                                   std::string body) = 0;
};

struct RouteRule {
  std::string domain;  ///< lower-case
  Destination dest;
};

/// Per-domain routes first, then the smarthost; nullopt when neither applies (the message waits
/// in the queue and the reply says why).
std::optional<Destination> route_for(const std::string& domain,
                                     const std::vector<RouteRule>& routes,
                                     const std::optional<Destination>& smarthost);

}  // namespace smimegw::transport
