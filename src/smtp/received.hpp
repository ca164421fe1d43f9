// smtp: the Received: trace header (RFC 5321 §4.4, protocol names RFC 3848).
#pragma once

#include <chrono>
#include <string>

namespace smimegw::smtp::detail {

struct TraceInfo {
  std::string helo;
  std::string client_address;
  std::string hostname;
  std::string id;
  bool esmtp = true;
  bool tls = false;
  bool authenticated = false;
  bool smtputf8 = false;
  std::string tls_description;   ///< comment "(version:cipher)"
  std::string single_recipient;  ///< "for <...>" only when there is exactly one
};

/// "Received: ...\r\n" folded to stay under 78 columns where possible.
std::string received_header(const TraceInfo& t, std::chrono::system_clock::time_point now);
/// RFC 5322 date-time in UTC ("Mon, 23 Nov 2026 03:51:11 +0000").
std::string rfc5322_date(std::chrono::system_clock::time_point now);

}  // namespace smimegw::smtp::detail
