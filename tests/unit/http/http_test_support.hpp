// Test support for the http module: a real Server on a loopback port with a blocking raw-socket
// client (and test::run, run_sync.hpp, for awaitables).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <thread>

#include "run_sync.hpp"
#include "smimegw/http/server.hpp"

namespace smimegw::test {

/// A Server on 127.0.0.1:<ephemeral> running on its own thread until destruction.
class TestHttpServer {
 public:
  TestHttpServer(const http::Router& router, http::ServerOptions opts);
  ~TestHttpServer();
  std::uint16_t port() const { return port_; }
  obs::Metrics metrics;

 private:
  boost::asio::io_context io_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

/// Blocking client: send bytes, read one response (header + Content-Length body).
class RawHttpClient {
 public:
  explicit RawHttpClient(std::uint16_t port);
  void send(const std::string& bytes);
  /// The next response, or "" when the server closed the connection first.
  std::string response(int timeout_ms = 5000);
  /// True when the server closes the connection within timeout_ms.
  bool closed_within(int timeout_ms);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket sock_;
  std::string buf_;
};

std::string status_line(const std::string& response);
std::string header_value(const std::string& response, const std::string& name);
std::string body_of(const std::string& response);

}  // namespace smimegw::test
