// libFuzzer target: smtp_session (scripts/fuzz.sh smtp_session SECONDS) — the SMTP server session
// state machine in-process. The session (src/smtp/session*.cpp, unchanged) runs over one end of a
// socketpair on an io_context in this thread; the input's first byte picks the listener (inbound,
// or submission with AUTH offered to the loopback peer) and the rest is the client's byte stream,
// written at once and followed by a half-close while a second coroutine reads every reply.
// Checked: the session ends (no hang: the io_context runs dry), every reply line is "NNN" then
// space or dash, a message reaches the sink only after MAIL, an accepted RCPT and DATA, with CRLF
// line endings only and within the size limit plus the Received header, and only after AUTH on
// the submission listener.
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "server_impl.hpp"
#include "session.hpp"

namespace {

namespace asio = boost::asio;
using namespace smimegw;

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::uint64_t kMaxMessage = 4096;

struct Sink : core::MessageSink {
  std::size_t accepted = 0;
  bool submission = false;
  asio::awaitable<core::RecipientVerdict> check_recipient(const core::Envelope& env,
                                                          const core::Recipient& r) override {
    check(!env.helo.empty());
    core::RecipientVerdict v;
    if (r.address.rfind("bad", 0) == 0) {
      v.accepted = false;
      v.reason = core::Error::make("unknown_recipient", "no such user");
    } else if (r.address.rfind("tmp", 0) == 0) {
      v.accepted = false;
      v.reason = core::Error::transient("storage_unavailable", "");
    }
    co_return v;
  }
  asio::awaitable<core::Result<core::Accepted>> accept(core::Envelope env,
                                                       std::string message) override {
    check(!env.recipients.empty() && env.recipients.size() <= 5);
    check(!submission || env.authenticated_user.has_value());
    check(message.rfind("Received: ", 0) == 0);
    check(message.size() <= kMaxMessage + 2048);
    for (std::size_t i = 0; i < message.size(); ++i) {
      if (message[i] == '\n') check(i > 0 && message[i - 1] == '\r');
      if (message[i] == '\r') check(i + 1 < message.size() && message[i + 1] == '\n');
    }
    ++accepted;
    if (message.find("\r\nX-Fail: yes") != std::string::npos)
      co_return core::Error::transient("storage_unavailable", "");
    co_return core::Accepted{"Q" + std::to_string(accepted), {"warn\x01ing"}};
  }
};

struct Auth : smtp::Authenticator {
  asio::awaitable<core::Result<std::string>> check(std::string user, std::string pw) override {
    if (user == "u" && pw == "p") co_return std::string("u@example.test");
    if (user == "down") co_return core::Error::transient("auth_unavailable", "");
    co_return core::Error::make("auth_failed", "");
  }
};

struct World {
  asio::io_context io;
  obs::Metrics metrics;
  Sink sink;
  Auth auth;
  std::shared_ptr<smtp::Server::Impl> impl[2];
  World() {
    std::signal(SIGPIPE, SIG_IGN);
    for (int i = 0; i < 2; ++i) {
      smtp::ServerOptions o;
      o.name = i ? "submission" : "inbound";
      o.mode = i ? smtp::Mode::Submission : smtp::Mode::Inbound;
      o.hostname = "mx.example.test";
      o.limits.max_message_bytes = kMaxMessage;
      o.limits.max_recipients = 5;
      o.limits.max_pipelined = 8;
      o.limits.command_timeout = std::chrono::seconds(20);
      o.limits.data_timeout = std::chrono::seconds(20);
      o.allow_auth_without_tls = true;
      impl[i] = std::make_shared<smtp::Server::Impl>(io.get_executor(), o, sink, metrics,
                                                     i ? &auth : nullptr);
      impl[i]->log->set_level(spdlog::level::off);
    }
  }
};

World& world() {
  static World w;
  return w;
}

bool reply_line_ok(const std::string& l) {
  if (l.size() < 4) return false;
  for (int i = 0; i < 3; ++i)
    if (l[i] < '0' || l[i] > '9') return false;
  return l[3] == ' ' || l[3] == '-';
}

asio::awaitable<void> client_write(asio::local::stream_protocol::socket& c, std::string in) {
  auto [ec, n] =
      co_await asio::async_write(c, asio::buffer(in), asio::as_tuple(asio::use_awaitable));
  (void)n;
  (void)ec;
  boost::system::error_code ignore;
  c.shutdown(asio::socket_base::shutdown_send, ignore);
}

asio::awaitable<void> client_read(asio::local::stream_protocol::socket& c, bool& greeted) {
  std::string buf, line;
  char tmp[4096];
  for (;;) {
    auto [ec, n] =
        co_await c.async_read_some(asio::buffer(tmp), asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    buf.append(tmp, n);
    std::size_t pos;
    while ((pos = buf.find("\r\n")) != std::string::npos) {
      line = buf.substr(0, pos);
      buf.erase(0, pos + 2);
      check(reply_line_ok(line));
      greeted = true;
    }
  }
  check(buf.empty());
}

asio::awaitable<void> server(smtp::Server::Impl& impl, std::shared_ptr<smtp::detail::Stream> s,
                             bool& done) {
  {
    smtp::detail::Session session(impl, *s, "127.0.0.1", true, "fz1");
    co_await session.run(std::nullopt);
  }
  co_await s->close();
  done = true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 65536) return 0;
  auto& w = world();
  const bool submission = data[0] & 1;
  w.sink.submission = submission;
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) std::abort();
  asio::ip::tcp::socket ss(w.io);
  ss.assign(asio::ip::tcp::v4(), fds[0]);
  asio::local::stream_protocol::socket cs(w.io);
  cs.assign(asio::local::stream_protocol(), fds[1]);
  auto stream = std::make_shared<smtp::detail::Stream>(std::move(ss));
  bool done = false, greeted = false;
  asio::co_spawn(w.io, server(*w.impl[submission], stream, done), asio::detached);
  asio::co_spawn(w.io,
                 client_write(cs, std::string(reinterpret_cast<const char*>(data) + 1, size - 1)),
                 asio::detached);
  asio::co_spawn(w.io, client_read(cs, greeted), asio::detached);
  w.io.restart();
  w.io.run();
  check(done && greeted);
  return 0;
}
