// transport: what local delivery stores, and the hook that prepares it.
//
// Every copy delivered to a local mailbox (inbound mail from :25, and internal recipients of
// outbound mail after the outbound steps) passes a LocalProcessor before it is stored: inbound
// S/MIME is decrypted with the recipient's key and verified through the trust service, the
// result becomes an Authentication-Results field (RFC 7281) and the structured `smime` status the
// sync API serves, and protected or encrypted mail is sealed (CMS AES-256-GCM to the gateway key
// and the owner) before it is stored. See src/transport/inbound*.cpp.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/transport/queue_store.hpp"  // LocalCopy

namespace smimegw::transport {

/// One processing request: the copy that reaches `mailbox`.
struct LocalInput {
  std::string queue_id;
  std::string source;    ///< inbound | submission | api | dsn
  std::string mailbox;   ///< the owner's primary address, lower-case
  std::string body;      ///< the bytes as they would be delivered
  std::string label_id;  ///< label decided at intake for outbound mail ("" = none / inbound)
};

class LocalProcessor {
 public:
  virtual ~LocalProcessor() = default;
  /// The copy to store. An error fails or retries the recipient (Error::temporary: retry);
  /// it must never fall back to storing plaintext that should be sealed.
  virtual boost::asio::awaitable<core::Result<LocalCopy>> process(LocalInput input) = 0;
};

}  // namespace smimegw::transport
