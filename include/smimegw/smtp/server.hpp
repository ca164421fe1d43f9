// smtp: the SMTP server of one listener (inbound or submission), Asio C++20 coroutines, one
// coroutine per connection.
//
// Threading: each connection runs on its own strand of the given executor, so the io_context may
// run on several threads; MessageSink and Authenticator calls can then come from several threads.
//
// Flow: accept → connection limits (total, per client address: 421 4.7.0 at the greeting) → 220
// greeting → command loop (session.cpp) → commands (session_commands.cpp, session_tls_auth.cpp) →
// at the final dot of DATA a Received: header is prepended and the message handed to
// core::MessageSink::accept(); 250 with the queue id only when it returns a value (ARCHITECTURE §2
// invariant 1), otherwise the Error goes through the one reply map (reply_map.hpp).
//
// Standards: RFC 5321 (SMTP), RFC 1870 SIZE, RFC 2920 PIPELINING (replies in order; the server
// flushes before it blocks on a read), RFC 2034/3463 ENHANCEDSTATUSCODES, RFC 6152 8BITMIME,
// RFC 6531 SMTPUTF8, RFC 3461 DSN, RFC 3207 STARTTLS (all state discarded after the handshake;
// pipelined plaintext after STARTTLS is refused: 554 5.5.1 and close), RFC 4954 AUTH PLAIN/LOGIN
// (submission only, only after TLS unless allow_auth_without_tls and the peer is loopback),
// RFC 3848 protocol names in Received.
//
// Limits (ARCHITECTURE §2 invariant 5), each answered through the reply map:
//   command line > max_line (1000 incl. CRLF)        500 5.5.2 (the line is discarded)
//   DATA text line > max_line                        500 5.5.2 after the final dot
//   SIZE= over max_message_bytes                     552 5.3.4 at MAIL
//   message over max_message_bytes while streaming   552 5.3.4 after the final dot
//   recipients over max_recipients                   452 4.5.3 for each extra RCPT
//   command_timeout / data_timeout (per read)        421 4.4.2 and close
//   connections over max_connections                 421 4.7.0 at the greeting and close
//   connections per client address over the cap      421 4.7.0 at the greeting and close
//   more than max_errors erroneous commands          421 4.7.0 and close
//   pipelined backlog: at most max_pipelined replies are buffered; then they are written (the
//     write waits for the client to read, under command_timeout) before more input is parsed.
//
// Logs (module logger "smtp"): event=smtp_connect|smtp_refused|smtp_tls|smtp_auth|smtp_rcpt|
// smtp_message|smtp_close with sid=<session id>; never bodies or AUTH data. Metrics:
// smimegw_smtp_connections_total, smimegw_smtp_connections_active, smimegw_smtp_messages_total
// {result=accepted|refused}, smimegw_smtp_bytes_received_total, all labelled listener="<name>".
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "smimegw/core/message_sink.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/obs/metrics.hpp"
#include "smimegw/smtp/authenticator.hpp"

namespace smimegw::smtp {

enum class Mode { Inbound, Submission };

struct Limits {
  std::size_t max_line = 1000;  ///< bytes including CRLF (RFC 5321 §4.5.3.1.4/6)
  std::uint64_t max_message_bytes = 50u << 20;
  std::size_t max_recipients = 100;
  std::chrono::milliseconds command_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds data_timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds tls_handshake_timeout{std::chrono::seconds(30)};
  int max_connections = 1000;
  int max_connections_per_address = 20;
  int max_errors = 10;
  std::size_t max_pipelined = 100;
};

struct ServerOptions {
  std::string name = "inbound";  ///< listener name in logs and metrics
  Mode mode = Mode::Inbound;
  std::string hostname = "localhost";  ///< greeting, EHLO and Received
  Limits limits;
  std::string tls_cert_file;  ///< PEM chain (leaf first); STARTTLS offered when both are set
  std::string tls_key_file;   ///< PEM PKCS#8 key
  /// Test switch: offer AUTH without TLS — honoured only for loopback peers.
  bool allow_auth_without_tls = false;
};

class Server {
 public:
  /// `auth` is required for Mode::Submission (AUTH is then mandatory before MAIL).
  Server(boost::asio::any_io_executor ex, ServerOptions opts, core::MessageSink& sink,
         obs::Metrics& metrics, Authenticator* auth = nullptr);
  ~Server();

  /// Loads the TLS credentials (tls_credentials error) and binds (net::bind_acceptor errors).
  core::Status listen(const std::string& host, std::uint16_t port);
  std::uint16_t port() const;
  /// Accepts until stop(); run with co_spawn.
  boost::asio::awaitable<void> run();
  /// Closes the acceptor; open sessions get 421 4.3.2 at their next command and close.
  void stop();
  int active() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace smimegw::smtp
