// Test support for the SMTP server/client tests: an in-memory MessageSink, a fixed Authenticator,
// an in-process server on a loopback port (its own io_context thread), a blocking raw-socket
// client, test certificates made with openssl at test time, and a helper to run commands.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "smimegw/core/message_sink.hpp"
#include "smimegw/obs/metrics.hpp"
#include "smimegw/smtp/authenticator.hpp"
#include "smimegw/smtp/server.hpp"

namespace smimegw::test {

/// Records accepted messages in memory (the test MessageSink of the brief).
class MemorySink final : public core::MessageSink {
 public:
  struct Stored {
    core::Envelope env;
    std::string message;
  };
  std::set<std::string> unknown_users;      ///< refused with unknown_user
  std::set<std::string> relay_denied;       ///< refused with relay_denied
  std::optional<core::Error> accept_error;  ///< accept() returns this when set

  boost::asio::awaitable<core::RecipientVerdict> check_recipient(const core::Envelope&,
                                                                 const core::Recipient& r) override;
  boost::asio::awaitable<core::Result<core::Accepted>> accept(core::Envelope env,
                                                              std::string message) override;
  std::vector<Stored> messages() const;
  std::size_t count() const;

 private:
  mutable std::mutex mu_;
  std::vector<Stored> stored_;
};

/// alice / secret → alice@example.com; anything else fails.
class FixedAuthenticator final : public smtp::Authenticator {
 public:
  boost::asio::awaitable<core::Result<std::string>> check(std::string user,
                                                          std::string password) override;
  int calls = 0;
};

struct TestCert {
  std::filesystem::path cert, key;           ///< self-signed localhost
  std::filesystem::path ca, leaf, leaf_key;  ///< a CA and a localhost leaf signed by it
};
/// A self-signed RSA-2048 localhost certificate made with `openssl req` (once per process), plus a
/// CA-signed one (Botan does not accept a self-signed leaf as its own trust anchor).
const TestCert& test_cert();

/// An smtp::Server on 127.0.0.1 (ephemeral port) running on its own thread.
class TestServer {
 public:
  explicit TestServer(smtp::ServerOptions opts, bool with_auth = false);
  ~TestServer();
  std::uint16_t port() const { return port_; }
  MemorySink sink;
  FixedAuthenticator auth;
  obs::Metrics metrics;

 private:
  boost::asio::io_context io_;
  std::unique_ptr<smtp::Server> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

/// A blocking TCP client that speaks raw SMTP lines.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port, int timeout_ms = 5000);
  ~RawClient();
  void send(const std::string& data);
  /// One complete reply (all its lines, each with CRLF); "" on EOF/timeout.
  std::string reply();
  /// Just the basic code and enhanced code of the next reply, e.g. "250 2.1.0".
  std::string code();
  /// Everything until the server closes (or timeout).
  std::string rest();
  bool closed();
  /// True when something (a reply, or the close) arrives within `timeout_ms`.
  bool readable(int timeout_ms);

 private:
  int fd_ = -1;
  std::string buf_;
  bool fill();
};

/// Runs a shell command; returns exit status and combined output.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::string& cmd);

/// Runs `body` as a coroutine on a fresh io_context and returns its result.
template <class T>
T run_coro(std::function<boost::asio::awaitable<T>(boost::asio::io_context&)> body);

/// A base set of options for tests (short timeouts).
smtp::ServerOptions test_options(smtp::Mode mode = smtp::Mode::Inbound);

}  // namespace smimegw::test

#include <boost/asio/co_spawn.hpp>
#include <exception>
#include <optional>

namespace smimegw::test {
template <class T>
T run_coro(std::function<boost::asio::awaitable<T>(boost::asio::io_context&)> body) {
  boost::asio::io_context io;
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await body(io)); },
      [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}
}  // namespace smimegw::test
