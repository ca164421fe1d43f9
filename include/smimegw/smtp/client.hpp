// smtp: the relay client — delivers one message (envelope + bytes) to one SMTP server, for
// transport::Relay. RFC 5321 client side with PIPELINING (RFC 2920: MAIL, every RCPT and DATA in
// one write, replies read in order), SIZE (RFC 1870: a message over the server's SIZE is not sent:
// every recipient gets 552 5.3.4), 8BITMIME / SMTPUTF8 / DSN parameters only when the server
// advertises them (a SMTPUTF8 message to a server without it fails every recipient with 553 5.6.7),
// STARTTLS (RFC 3207) none | opportunistic | required via net::TlsStream, AUTH PLAIN (RFC 4954),
// dot-stuffing (every line starting with "." is sent with an extra "."), CRLF line endings.
//
// Results: an SMTP answer about the transaction is per recipient (RecipientResult); when the whole
// transaction is refused (greeting, MAIL, DATA, final dot) every recipient carries that reply.
// Errors (Result error, nothing was delivered, the queue decides by Error::temporary):
//   connect_failed        DNS or TCP connect failed                                  [temporary]
//   timeout               connect, a reply or the data transfer exceeded its timeout [temporary]
//   protocol_error        garbage or over-long reply, connection closed mid-dialogue  [temporary]
//   starttls_not_offered  TlsMode::Required and the server did not offer STARTTLS     [temporary]
//   starttls_refused      STARTTLS answered with an error while TLS is required     [temporary]
//   starttls_injection    the server sent data after its 220 to STARTTLS            [temporary]
//   tls_handshake/tls_timeout  from net::TlsStream                                   [temporary]
//   relay_auth_failed     AUTH refused (misconfiguration is fixed, then retried)     [temporary]
//   auth_not_offered      credentials configured but no AUTH PLAIN (or no TLS)       [temporary]
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/envelope.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::smtp {

enum class TlsMode { None, Opportunistic, Required };

struct ClientOptions {
  std::string host;
  std::uint16_t port = 25;
  std::string helo_name = "localhost";
  TlsMode tls = TlsMode::Opportunistic;
  bool verify_tls = false;  ///< check the server certificate and name (CA file or system store)
  std::string tls_ca_file;
  std::optional<std::string> auth_user;  ///< AUTH PLAIN when set (only over TLS, see below)
  std::string auth_password;
  bool allow_auth_without_tls = false;  ///< tests only
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds command_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds data_timeout{std::chrono::minutes(10)};
  std::chrono::milliseconds tls_handshake_timeout{std::chrono::seconds(30)};
  std::size_t max_reply_bytes = 64 * 1024;
};

struct RecipientResult {
  std::string address;
  int code = 0;          ///< SMTP basic code of the final answer for this recipient
  std::string enhanced;  ///< "2.0.0" when the server sent one
  std::string text;
  bool accepted() const { return code >= 200 && code < 300; }
  bool permanent() const { return code >= 500; }
};

struct DeliveryResult {
  std::vector<RecipientResult> recipients;  ///< in envelope order
  bool tls = false;                         ///< the message went over TLS
  bool dsn = false;  ///< the server offered DSN (RFC 3461): NOTIFY/ORCPT/ENVID/RET were passed on
  std::string server_reply;  ///< last reply to the final dot (queue id), if any
};

/// One client connection (greeted, EHLO done, STARTTLS/AUTH done). Several messages may be sent
/// over it one after the other (ClientPool reuses it).
class ClientSession {
 public:
  static boost::asio::awaitable<core::Result<std::unique_ptr<ClientSession>>> open(
      boost::asio::any_io_executor ex, ClientOptions opts);
  ~ClientSession();
  /// Runs one transaction (MAIL, RCPT..., DATA). `message` has CRLF line endings, not stuffed.
  boost::asio::awaitable<core::Result<DeliveryResult>> send(core::Envelope env,
                                                            std::string message);
  /// QUIT and close (best effort).
  boost::asio::awaitable<void> quit();
  /// Still usable for another transaction.
  bool reusable() const;
  /// The last send() wrote the message text (a failure after that may have delivered it).
  bool message_sent() const;

  struct Impl;

 private:
  explicit ClientSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Connects, sends one message, quits.
boost::asio::awaitable<core::Result<DeliveryResult>> deliver(boost::asio::any_io_executor ex,
                                                             ClientOptions opts, core::Envelope env,
                                                             std::string message);

/// Connection reuse and a concurrency cap per destination (host, port, TLS mode, AUTH user).
/// A delivery waits while max_per_destination deliveries to the same destination are running;
/// afterwards its connection is kept idle (at most max_idle_per_destination, for idle_timeout) and
/// reused by the next delivery (a reused connection that turns out dead before the message text was
/// written is replaced once, so the pool never re-sends a message on its own). All calls must come
/// from the pool's executor (one strand).
class ClientPool {
 public:
  ClientPool(boost::asio::any_io_executor ex, std::size_t max_per_destination = 4,
             std::size_t max_idle_per_destination = 2,
             std::chrono::milliseconds idle_timeout = std::chrono::seconds(30));
  ~ClientPool();
  boost::asio::awaitable<core::Result<DeliveryResult>> deliver(ClientOptions opts,
                                                               core::Envelope env,
                                                               std::string message);
  /// Connections opened so far (for tests and metrics).
  std::uint64_t connections_opened() const { return opened_; }
  /// Closes the idle connections.
  boost::asio::awaitable<void> close_idle();

 private:
  struct Idle {
    std::unique_ptr<ClientSession> session;
    std::chrono::steady_clock::time_point since;
  };
  struct Destination {
    std::size_t running = 0;
    std::vector<Idle> idle;
    std::vector<boost::asio::steady_timer*> waiters;  ///< deliveries waiting for the cap
  };
  boost::asio::any_io_executor ex_;
  std::size_t max_per_destination_;
  std::size_t max_idle_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, Destination> destinations_;
  std::uint64_t opened_ = 0;
};

}  // namespace smimegw::smtp
