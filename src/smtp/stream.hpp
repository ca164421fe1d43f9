// smtp: a connection that is plain TCP until STARTTLS, then TLS (net::TlsStream). Every read and
// write has a deadline: a timer cancels the socket, and the operation then fails with "timeout".
// Used by the server sessions and the relay client.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"
#include "smimegw/net/tls_stream.hpp"

namespace smimegw::smtp::detail {

/// Error codes: "timeout" (deadline passed), "closed" (peer closed), "io" (anything else).
class Stream {
 public:
  explicit Stream(boost::asio::ip::tcp::socket s) : plain_(std::move(s)) {}
  boost::asio::awaitable<core::Result<std::size_t>> read_some(char* buf, std::size_t n,
                                                              std::chrono::milliseconds timeout);
  boost::asio::awaitable<core::Status> write(std::string_view data,
                                             std::chrono::milliseconds timeout);
  boost::asio::awaitable<core::Status> start_tls_server(std::shared_ptr<net::TlsServerContext> c,
                                                        std::chrono::milliseconds timeout);
  boost::asio::awaitable<core::Status> start_tls_client(net::TlsClientOptions o,
                                                        std::chrono::milliseconds timeout);
  boost::asio::awaitable<void> close();
  /// Cancels pending operations (from the stream's executor).
  void cancel();
  bool tls() const { return tls_ != nullptr; }
  std::string tls_description() const { return tls_ ? tls_->description() : std::string(); }
  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->socket() : *plain_; }

 private:
  std::optional<boost::asio::ip::tcp::socket> plain_;
  std::unique_ptr<net::TlsStream> tls_;
};

}  // namespace smimegw::smtp::detail
