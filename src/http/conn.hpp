// http (private): one client connection, plain TCP or TLS (net::TlsStream, Botan). Every read and
// write has a deadline: a timer cancels the socket and the operation fails with "timeout".
// Error codes: "timeout", "closed" (peer closed or the socket was cancelled by stop()), "io".
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string_view>

#include "smimegw/core/result.hpp"
#include "smimegw/net/tls_stream.hpp"

namespace smimegw::http::detail {

class Conn {
 public:
  explicit Conn(boost::asio::ip::tcp::socket s) : plain_(std::move(s)) {}
  /// Runs the TLS server handshake; afterwards reads and writes are encrypted.
  boost::asio::awaitable<core::Status> accept_tls(std::shared_ptr<net::TlsServerContext> ctx,
                                                  std::chrono::milliseconds timeout);
  boost::asio::awaitable<core::Result<std::size_t>> read_some(char* buf, std::size_t n,
                                                              std::chrono::milliseconds timeout);
  boost::asio::awaitable<core::Status> write(std::string_view data,
                                             std::chrono::milliseconds timeout);
  boost::asio::awaitable<void> close();
  /// Cancels pending operations (call on the connection's executor).
  void cancel();
  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->socket() : *plain_; }

 private:
  std::optional<boost::asio::ip::tcp::socket> plain_;
  std::unique_ptr<net::TlsStream> tls_;
};

}  // namespace smimegw::http::detail
