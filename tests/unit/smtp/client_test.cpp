// smtp::Client (relay side) against the in-process server and against Python aiosmtpd.
#include "smimegw/smtp/client.hpp"

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <thread>

#include "smtp_test_support.hpp"
#include "test_env.hpp"

using namespace smimegw;
using namespace smimegw::test;
namespace asio = boost::asio;

namespace {

core::Envelope envelope(std::vector<std::string> rcpts, std::string from = "a@example.org") {
  core::Envelope e;
  e.mail_from = std::move(from);
  for (auto& r : rcpts) e.recipients.push_back({r, 0, ""});
  return e;
}

smtp::ClientOptions client_options(std::uint16_t port, smtp::TlsMode tls = smtp::TlsMode::None) {
  smtp::ClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.helo_name = "relay.test.example";
  o.tls = tls;
  o.command_timeout = std::chrono::seconds(5);
  o.data_timeout = std::chrono::seconds(5);
  o.connect_timeout = std::chrono::seconds(5);
  return o;
}

core::Result<smtp::DeliveryResult> deliver(smtp::ClientOptions o, core::Envelope e, std::string m) {
  return run_coro<core::Result<smtp::DeliveryResult>>(
      [&](asio::io_context& io) { return smtp::deliver(io.get_executor(), o, e, m); });
}

std::uint16_t free_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

/// aiosmtpd_sink.py on a free port; killed (by its pid) when this goes away.
struct PythonSink {
  std::uint16_t port = free_port();
  std::filesystem::path dir;
  pid_t pid = 0;
  PythonSink() {
    char tmpl[] = "/tmp/smimegw-aiosmtpd-XXXXXX";
    dir = mkdtemp(tmpl);
    std::string script = std::string(SMIMEGW_SOURCE_DIR) + "/tests/unit/smtp/aiosmtpd_sink.py";
    auto r = run_command("/usr/bin/python3 " + script + " " + std::to_string(port) + " " +
                         dir.string() + " >" + (dir / "log").string() + " 2>&1 & echo $!");
    pid = std::stoi(r.output);
    for (int i = 0; i < 200 && !std::filesystem::exists(dir / "ready"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(std::filesystem::exists(dir / "ready"));
  }
  ~PythonSink() {
    if (pid > 0) ::kill(pid, SIGTERM);
  }
  std::string file(const std::string& name) { return read_file(dir / name); }
};

}  // namespace

TEST_CASE("client delivers with per-recipient results and dot-stuffing against the server") {
  TestServer s(test_options());
  s.sink.unknown_users.insert("ghost@example.net");
  std::string msg = "Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nlast\r\n";
  auto r = deliver(client_options(s.port()),
                   envelope({"b@example.net", "ghost@example.net", "c@example.net"}), msg);
  REQUIRE(r.ok());
  REQUIRE(r->recipients.size() == 3);
  CHECK(r->recipients[0].code == 250);
  CHECK(r->recipients[0].enhanced == "2.0.0");
  CHECK(r->recipients[0].text.find("queued as Q1") != std::string::npos);
  CHECK(r->recipients[1].code == 550);
  CHECK(r->recipients[1].enhanced == "5.1.1");
  CHECK(r->recipients[1].permanent());
  CHECK(r->recipients[2].accepted());
  CHECK_FALSE(r->tls);
  REQUIRE(s.sink.count() == 1);
  auto got = s.sink.messages()[0].message;
  CHECK(got.substr(got.size() - msg.size()) == msg);  // survives stuffing and unstuffing
}

TEST_CASE("client: TLS required against a server without STARTTLS fails with a clear error") {
  TestServer s(test_options());
  auto r = deliver(client_options(s.port(), smtp::TlsMode::Required), envelope({"b@example.net"}),
                   "x\r\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "starttls_not_offered");
  CHECK(r.error().temporary);
  CHECK(r.error().message.find("did not offer STARTTLS") != std::string::npos);
  CHECK(s.sink.count() == 0);
  // Opportunistic falls back to plaintext.
  auto o = deliver(client_options(s.port(), smtp::TlsMode::Opportunistic),
                   envelope({"b@example.net"}), "x\r\n");
  REQUIRE(o.ok());
  CHECK(o->recipients[0].accepted());
  CHECK_FALSE(o->tls);
}

TEST_CASE("client: STARTTLS required and AUTH PLAIN against the submission server") {
  auto so = test_options(smtp::Mode::Submission);
  so.tls_cert_file = test_cert().cert.string();
  so.tls_key_file = test_cert().key.string();
  TestServer s(so, true);
  auto o = client_options(s.port(), smtp::TlsMode::Required);
  o.auth_user = "alice";
  o.auth_password = "secret";
  auto r = deliver(o, envelope({"b@example.net"}, "alice@example.com"), "Subject: t\r\n\r\nx\r\n");
  REQUIRE(r.ok());
  CHECK(r->tls);
  CHECK(r->recipients[0].accepted());
  REQUIRE(s.sink.count() == 1);
  CHECK(s.sink.messages()[0].env.tls);
  CHECK(s.sink.messages()[0].env.authenticated_user.value_or("") == "alice@example.com");
  o.auth_password = "wrong";
  auto bad = deliver(o, envelope({"b@example.net"}, "alice@example.com"), "x\r\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "relay_auth_failed");
  CHECK(bad.error().message.find("535") != std::string::npos);
}

TEST_CASE("client: verify_tls refuses the server certificate unless its CA is trusted") {
  auto so = test_options();
  so.tls_cert_file = test_cert().leaf.string();
  so.tls_key_file = test_cert().leaf_key.string();
  TestServer s(so);
  auto o = client_options(s.port(), smtp::TlsMode::Required);
  o.host = "localhost";
  o.verify_tls = true;
  o.tls_ca_file = "/dev/null";
  auto bad = deliver(o, envelope({"b@example.net"}), "x\r\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "tls_handshake");
  o.tls_ca_file = test_cert().ca.string();
  auto good = deliver(o, envelope({"b@example.net"}), "x\r\n");
  INFO((good.ok() ? "" : good.error().message));
  REQUIRE(good.ok());
  CHECK(good->tls);
}

TEST_CASE("client: a message over the server's SIZE is not sent - every recipient gets 552") {
  auto so = test_options();
  so.limits.max_message_bytes = 100;
  TestServer s(so);
  auto r = deliver(client_options(s.port()), envelope({"b@example.net", "c@example.net"}),
                   std::string(500, 'x') + "\r\n");
  REQUIRE(r.ok());
  for (auto& rc : r->recipients) {
    CHECK(rc.code == 552);
    CHECK(rc.enhanced == "5.3.4");
    CHECK(rc.permanent());
  }
  CHECK(s.sink.count() == 0);
}

TEST_CASE("client: the whole transaction refused gives every recipient the reply") {
  TestServer s(test_options());
  s.sink.accept_error = core::Error::transient("storage_unavailable", "");
  auto r = deliver(client_options(s.port()), envelope({"b@example.net", "c@example.net"}), "x\r\n");
  REQUIRE(r.ok());
  for (auto& rc : r->recipients) {
    CHECK(rc.code == 451);
    CHECK_FALSE(rc.permanent());
  }
}

TEST_CASE("client: a silent server times out - a closed port is connect_failed") {
  asio::io_context io;
  asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  auto o = client_options(silent.local_endpoint().port());
  o.command_timeout = std::chrono::milliseconds(300);
  auto t0 = std::chrono::steady_clock::now();
  auto r = deliver(o, envelope({"b@example.net"}), "x\r\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "timeout");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  auto closed = deliver(client_options(free_port()), envelope({"b@example.net"}), "x\r\n");
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.error().code == "connect_failed");
}

TEST_CASE("client against aiosmtpd: per-recipient 550/451, dot-stuffing, 8-bit body") {
  PythonSink sink;
  std::string msg = "Subject: py\r\n\r\n.one dot\r\n.\r\n\xc3\xa4\r\nend\r\n";
  auto e = envelope({"ok@example.net", "reject1@example.net", "defer1@example.net"});
  e.body = core::BodyType::EightBitMime;
  auto r = deliver(client_options(sink.port), e, msg);
  REQUIRE(r.ok());
  REQUIRE(r->recipients.size() == 3);
  CHECK(r->recipients[0].code == 250);
  CHECK(r->recipients[0].text.find("sink1") != std::string::npos);
  CHECK(r->recipients[1].code == 550);
  CHECK(r->recipients[1].enhanced == "5.1.1");
  CHECK(r->recipients[1].permanent());
  CHECK(r->recipients[2].code == 451);
  CHECK_FALSE(r->recipients[2].permanent());
  CHECK(sink.file("1.eml") == msg);
  CHECK(sink.file("1.env") == "a@example.org\nok@example.net\n");
}

namespace {
asio::awaitable<std::vector<int>> pool_run(asio::io_context& io, std::uint16_t port) {
  smtp::ClientPool pool(io.get_executor(), 2, 2);
  std::vector<int> out;
  for (int i = 0; i < 3; ++i) {
    // (built outside the co_await: g++ 12 miscompiles array temporaries inside it)
    core::Envelope env = envelope(std::vector<std::string>(1, std::string("b@example.net")));
    std::string msg = "n" + std::to_string(i) + "\r\n";
    auto r = co_await pool.deliver(client_options(port), std::move(env), std::move(msg));
    out.push_back(r.ok() && r->recipients[0].accepted() ? 1 : 0);
  }
  out.push_back(static_cast<int>(pool.connections_opened()));
  co_await pool.close_idle();
  co_return out;
}
}  // namespace

TEST_CASE("client pool reuses one connection per destination") {
  TestServer s(test_options());
  std::uint16_t port = s.port();
  auto results =
      run_coro<std::vector<int>>([port](asio::io_context& io) { return pool_run(io, port); });
  const std::vector<int> want{1, 1, 1, 1};  // three accepted, one connection opened
  CHECK(results == want);
  CHECK(s.sink.count() == 3);
}

namespace {
asio::awaitable<void> pool_one(smtp::ClientPool& pool, std::uint16_t port, int i, int& ok) {
  core::Envelope env = envelope(std::vector<std::string>(1, std::string("b@example.net")));
  std::string msg = "c" + std::to_string(i) + "\r\n";
  auto r = co_await pool.deliver(client_options(port), std::move(env), std::move(msg));
  if (r.ok() && r->recipients[0].accepted()) ++ok;
}
}  // namespace

TEST_CASE(
    "client pool caps concurrency per destination: concurrent deliveries share one connection") {
  TestServer s(test_options());
  asio::io_context io;
  smtp::ClientPool pool(io.get_executor(), 1, 2);
  int ok = 0;
  for (int i = 0; i < 4; ++i) asio::co_spawn(io, pool_one(pool, s.port(), i, ok), asio::detached);
  io.run();
  CHECK(ok == 4);
  CHECK(pool.connections_opened() == 1);  // with a cap of 2+ the first two would open two
  CHECK(s.sink.count() == 4);
  smtp::ClientPool wide(io.get_executor(), 4, 4);
  io.restart();
  int ok2 = 0;
  for (int i = 0; i < 4; ++i) asio::co_spawn(io, pool_one(wide, s.port(), i, ok2), asio::detached);
  io.run();
  CHECK(ok2 == 4);
  CHECK(wide.connections_opened() == 4);
  asio::co_spawn(io, pool.close_idle(), asio::detached);
  asio::co_spawn(io, wide.close_idle(), asio::detached);
  io.restart();
  io.run();
}

TEST_CASE("client pool replaces an idle connection the server has closed (421 timeout)") {
  auto so = test_options();
  so.limits.command_timeout = std::chrono::milliseconds(300);
  TestServer s(so);
  asio::io_context io;
  smtp::ClientPool pool(io.get_executor(), 2, 2);
  int ok = 0;
  asio::co_spawn(io, pool_one(pool, s.port(), 1, ok), asio::detached);
  io.run();
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // server sends 421 4.4.2, closes
  io.restart();
  asio::co_spawn(io, pool_one(pool, s.port(), 2, ok), asio::detached);
  io.run();
  CHECK(ok == 2);
  CHECK(pool.connections_opened() == 2);
  CHECK(s.sink.count() == 2);
  io.restart();
  asio::co_spawn(io, pool.close_idle(), asio::detached);
  io.run();
}

TEST_CASE("client pool: a connection whose transaction was refused is reset and reused") {
  TestServer s(test_options());
  s.sink.unknown_users.insert("ghost@example.net");
  asio::io_context io;
  smtp::ClientPool pool(io.get_executor(), 1, 1);
  std::vector<int> codes;
  auto run = [&](std::string rcpt) -> asio::awaitable<void> {
    core::Envelope env = envelope(std::vector<std::string>(1, rcpt));
    std::string msg = "x\r\n";
    auto r = co_await pool.deliver(client_options(s.port()), std::move(env), std::move(msg));
    codes.push_back(r.ok() ? r->recipients.at(0).code : -1);
  };
  asio::co_spawn(io, run("ghost@example.net"), asio::detached);  // all RCPT refused, DATA refused
  io.run();
  io.restart();
  asio::co_spawn(io, run("b@example.net"), asio::detached);
  io.run();
  const std::vector<int> want{550, 250};
  CHECK(codes == want);
  CHECK(pool.connections_opened() == 1);
  CHECK(s.sink.count() == 1);
  io.restart();
  asio::co_spawn(io, pool.close_idle(), asio::detached);
  io.run();
}
