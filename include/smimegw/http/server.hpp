// http: one HTTP/1.1 listener (Boost.Beast, Asio C++20 coroutines).
//
// Each connection is a coroutine: read a request (header limit 16 KiB, body limit from config,
// whole request within the request timeout), dispatch it through the Router, write the response,
// repeat while keep-alive. More than max_connections concurrent connections are answered 503 and
// closed. stop() closes the acceptor and idle connections at once; connections in the middle of a
// request finish it and then close. drained() tells when none is left.
//
// Failure semantics: a malformed request gets 400 bad_request, an oversized body 413
// payload_too_large, a slow client 408 or a closed socket; a handler exception 500 internal_error
// (logged with the request id, never echoed). Plain HTTP for now (loopback by default); HTTPS with
// Botan TLS arrives with the APIs issue.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/http/router.hpp"
#include "smimegw/obs/metrics.hpp"

namespace smimegw::http {

struct ServerOptions {
  std::string name = "admin";  ///< listener name in logs and metrics
  std::uint64_t max_body_bytes = 50u << 20;
  std::uint32_t max_header_bytes = 16 * 1024;
  int request_timeout_ms = 30000;
  int idle_timeout_ms = 60000;
  int max_connections = 1024;
};

class Server {
 public:
  Server(boost::asio::any_io_executor ex, const Router& router, obs::Metrics& metrics,
         ServerOptions opts);
  ~Server();

  /// Binds the listener; errors name the address (see net::bind_acceptor).
  core::Status listen(const std::string& host, std::uint16_t port);
  /// The bound port (useful when listening on port 0 in tests).
  std::uint16_t port() const;
  /// Accepts until stop(); run with co_spawn.
  boost::asio::awaitable<void> run();
  void stop();
  /// Connections still open.
  int active() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace smimegw::http
