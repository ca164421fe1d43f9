// http: one HTTP/1.1 listener (Boost.Beast, Asio C++20 coroutines).
//
// Each connection is a coroutine: TLS handshake when the listener has a certificate
// (net::TlsStream, Botan, TLS 1.2), then read a request (header within max_header_bytes and
// header_timeout_ms, the whole request within request_timeout_ms, body within max_body_bytes),
// dispatch it through the Router, write the response, repeat while keep-alive (idle_timeout_ms
// between requests). Beast's parser reads the bytes; this file is the only one that includes Beast.
// More than max_connections concurrent connections, or more than max_connections_per_address from
// one client address, are closed at accept (a plain listener answers 503 first). stop() closes the
// acceptor and idle connections at once; connections in the middle of a request finish it and then
// close; active() tells how many are left.
//
// Every answer carries X-Request-Id: the client's own (1-64 of [A-Za-z0-9._:-]) or a generated
// one; each request is logged as event=http_request with that id, the principal and the status.
// Failure semantics: a malformed request gets 400 bad_request, an oversized body 413
// payload_too_large, an oversized header 431, a slow client 408 and a closed connection; a handler
// exception 500 internal_error (logged with the request id, never echoed).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/http/router.hpp"
#include "smimegw/net/tls_stream.hpp"
#include "smimegw/obs/metrics.hpp"

namespace smimegw::http {

struct ServerOptions {
  std::string name = "admin";  ///< listener name in logs and metrics
  std::uint64_t max_body_bytes = 50u << 20;
  std::uint32_t max_header_bytes = 16 * 1024;
  int header_timeout_ms = 10000;   ///< TLS handshake, and first byte to end of header
  int request_timeout_ms = 30000;  ///< first byte to end of body
  int idle_timeout_ms = 60000;     ///< keep-alive wait for the next request
  int max_connections = 1024;
  int max_connections_per_address = 256;  ///< from one client address; more are refused likewise
  std::shared_ptr<net::TlsServerContext> tls;  ///< null: plain HTTP
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
