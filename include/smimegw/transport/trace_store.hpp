// transport: message trace — every decision about a queued message, in order (table
// message_trace, migration 0011; `smimegw trace QUEUE_ID`). Events carry no message content and
// no key material: label and its source, marking, signing certificate, each recipient's
// certificate and source, refusals with reasons, warnings, inbound S/MIME results.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::transport {

struct TraceEvent {
  std::string queue_id;
  std::string stage;      ///< intake | outbound | inbound | delivery
  std::string event;      ///< e.g. label_chosen, signed, encrypted, recipient_certificate, refused
  std::string recipient;  ///< "" when the event concerns the whole message
  std::string detail_json = "{}";              ///< a JSON object
  std::chrono::system_clock::time_point at{};  ///< filled by the store when reading
};

class TraceStore {
 public:
  virtual ~TraceStore() = default;
  virtual boost::asio::awaitable<core::Status> record(std::vector<TraceEvent> events) = 0;
  virtual boost::asio::awaitable<core::Result<std::vector<TraceEvent>>> list(
      std::string queue_id) = 0;
};

}  // namespace smimegw::transport
