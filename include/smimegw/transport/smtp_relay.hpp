// transport: RelayClient over the smtp module's client pool (connection reuse and a concurrency cap
// per destination). A connection-level failure (no connection, TLS required but not offered,
// timeout) is a temporary failure for every recipient; a reply is per recipient.
#pragma once

#include <memory>

#include "smimegw/smtp/client.hpp"
#include "smimegw/transport/relay.hpp"

namespace smimegw::transport {

class SmtpRelay final : public RelayClient {
 public:
  SmtpRelay(boost::asio::any_io_executor ex, std::string helo_name,
            std::size_t max_per_destination);
  boost::asio::awaitable<std::vector<RelayResult>> deliver(Destination dest, RelayEnvelope env,
                                                           std::string body) override;

 private:
  std::string helo_;
  smtp::ClientPool pool_;
};

}  // namespace smimegw::transport
