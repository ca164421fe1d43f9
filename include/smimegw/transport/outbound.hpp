// transport: the outbound steps a worker runs after commit for a message with a plan
// (transport/plan.hpp): marking and msip_labels, removal of the X-Smimegw-* request fields,
// clear-signing with the sender's key, encryption to the certificates chosen before 250 (plus the
// sender and, for protected labels, the gateway key), one copy per Bcc recipient when asked.
// A failure never produces a clear copy of a message that must be encrypted: the recipients are
// retried (temporary) or failed with a DSN.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::transport {

/// One body and the recipients (addresses, lower-case) that get it.
struct OutboundCopy {
  std::vector<std::string> recipients;
  std::string body;
  std::int64_t stored_id = 0;  ///< queue_copies row once stored (worker); 0: not stored
};

class OutboundProcessor {
 public:
  virtual ~OutboundProcessor() = default;
  /// The copies for `recipients` (a subset of the message's); every recipient is in one copy.
  virtual boost::asio::awaitable<core::Result<std::vector<OutboundCopy>>> process(
      QueuedMessage message, std::vector<std::string> recipients) = 0;
};

}  // namespace smimegw::transport
