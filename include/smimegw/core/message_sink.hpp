// core: MessageSink, the only thing the SMTP server knows about the rest of the gateway.
//
// The server streams a message into the sink and answers the client with whatever accept() returns:
// a queue id means the message and its recipients are committed (ARCHITECTURE.md invariant 1), an
// Error is mapped to a 4xx/5xx reply by the SMTP reply map.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "smimegw/core/envelope.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::core {

/// Per-recipient verdict from an early policy check (RCPT time).
struct RecipientVerdict {
  bool accepted = true;
  Error reason;  ///< when refused
};

struct Accepted {
  std::string queue_id;
  std::vector<std::string> warnings;  ///< appended to the 250 text
};

class MessageSink {
 public:
  virtual ~MessageSink() = default;
  /// Called at RCPT; may refuse the recipient (unknown user, relaying denied).
  virtual boost::asio::awaitable<RecipientVerdict> check_recipient(const Envelope& env,
                                                                   const Recipient& rcpt) = 0;
  /// Called after the final "." with the complete message (CRLF line endings, dot-unstuffed).
  /// Must return only after the message is durably committed, or with an Error.
  virtual boost::asio::awaitable<Result<Accepted>> accept(Envelope env, std::string message) = 0;
};

}  // namespace smimegw::core
