// transport: the outbound side's view of an SMTP client, and where each domain's mail goes.
// The relay hands the DSN parameters (RFC 3461 NOTIFY, ORCPT, ENVID, RET) on to a next hop that
// offers DSN, which then owns the notifications; RelayResult::next_hop_dsn tells the worker so, for
// NOTIFY=SUCCESS, whether it must issue a "relayed" DSN itself (RFC 3461 §4.2).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::transport {

struct Destination {
  std::string host;
  std::uint16_t port = 25;
  std::string tls = "opportunistic";     ///< none | opportunistic | required
  std::optional<std::string> auth_user;  ///< AUTH PLAIN when set (over TLS unless allowed below)
  std::string auth_password;             ///< never logged, never part of key()
  bool allow_auth_without_tls = false;
  /// "host:port" — for logs and replies.
  std::string key() const { return host + ":" + std::to_string(port); }
  /// Distinguishes destinations that need separate connections (same host, other credentials).
  std::string group_key() const { return key() + "/" + tls + "/" + auth_user.value_or(""); }
};

struct RelayRecipient {
  std::string address;
  unsigned notify = 0;  ///< NOTIFY bits as in core::Recipient
  std::string orcpt;    ///< "addr-type;address" or empty
};

struct RelayEnvelope {
  std::string mail_from;
  std::string envid;
  std::string ret;  ///< "", "FULL", "HDRS"
  std::vector<RelayRecipient> rcpts;
};

/// Outcome for one recipient of a relay attempt.
struct RelayResult {
  bool delivered = false;
  bool permanent = false;     ///< a 5xx; otherwise retry later
  std::string reply;          ///< "250 2.0.0 ok" or the failure text (for DSNs and the queue)
  bool next_hop_dsn = false;  ///< the next hop offered DSN and got NOTIFY/ORCPT passed on
};

class RelayClient {
 public:
  virtual ~RelayClient() = default;
  /// Delivers one message to `dest` for `env.rcpts`; returns one result per recipient, in order.
  virtual boost::asio::awaitable<std::vector<RelayResult>> deliver(Destination dest,
                                                                   RelayEnvelope env,
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

/// The first line of a secret file (relay AUTH password); `secret_file` names the path, never the
/// content, when the file is missing, unreadable or empty.
core::Result<std::string> read_secret_file(const std::string& path);

}  // namespace smimegw::transport
