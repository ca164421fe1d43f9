// net::TlsStream against OpenSSL peers: openssl s_client (our server side) and openssl s_server
// (our client side), the policy (TLS 1.2 + AEAD only), timeouts and credential errors.
#include "smimegw/net/tls_stream.hpp"

#include <signal.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>

using namespace smimegw;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Cmd {
  int status = -1;
  std::string out;
};
Cmd sh(const std::string& c) {
  Cmd r;
  FILE* p = popen(c.c_str(), "r");
  char b[4096];
  std::size_t n;
  while ((n = fread(b, 1, sizeof b, p)) > 0) r.out.append(b, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

struct Cert {
  std::string dir, cert, key;
  std::string ca, leaf, leaf_key;  // a CA and a localhost leaf it signed (Botan does not accept a
                                   // self-signed leaf as its own trust anchor)
};
const Cert& cert() {
  static const Cert c = [] {
    char t[] = "/tmp/smimegw-tls-XXXXXX";
    Cert c;
    c.dir = mkdtemp(t);
    c.cert = c.dir + "/cert.pem";
    c.key = c.dir + "/key.pem";
    auto r = sh("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 -keyout " +
                c.key + " -out " + c.cert + " 2>&1");
    REQUIRE(r.status == 0);
    c.ca = c.dir + "/ca.pem";
    c.leaf = c.dir + "/leaf.pem";
    c.leaf_key = c.dir + "/leaf.key";
    auto r2 = sh("cd " + c.dir +
                 " && openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=Test CA' "
                 "-days 2 -keyout ca.key -out ca.pem 2>&1 && openssl req -newkey rsa:2048 -nodes "
                 "-subj /CN=localhost -keyout leaf.key -out leaf.csr 2>&1 && printf "
                 "'subjectAltName=DNS:localhost\\n' > ext && openssl x509 -req -in leaf.csr -CA "
                 "ca.pem -CAkey ca.key -CAcreateserial -days 2 -out leaf.pem -extfile ext 2>&1");
    INFO(r2.out);
    REQUIRE(r2.status == 0);
    return c;
  }();
  return c;
}

std::shared_ptr<net::TlsServerContext> server_ctx() {
  auto ctx = net::TlsServerContext::from_pem_files(cert().cert, cert().key);
  REQUIRE(ctx.ok());
  return *ctx;
}

/// Accepts one connection, runs the TLS server handshake, echoes one line upper-cased.
struct EchoServer {
  asio::io_context io;
  tcp::acceptor acc{io, {asio::ip::make_address("127.0.0.1"), 0}};
  std::string error;
  std::string received;
  std::string description;
  std::chrono::milliseconds timeout{5000};

  asio::awaitable<void> serve(std::shared_ptr<net::TlsServerContext> ctx) {
    auto sock = co_await acc.async_accept(asio::use_awaitable);
    auto s = co_await net::TlsStream::accept(std::move(sock), ctx, timeout);
    if (!s) {
      error = s.error().code + ": " + s.error().message;
      co_return;
    }
    description = (*s)->description();
    char buf[256];
    while (received.find('\n') == std::string::npos) {
      auto n = co_await (*s)->read_some(buf, sizeof buf);
      if (!n || *n == 0) break;
      received.append(buf, *n);
    }
    std::string up = received;
    for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto st = co_await (*s)->write(up);
    if (!st) error = st.error().code;
    co_await (*s)->shutdown();
  }
  std::uint16_t port() const { return acc.local_endpoint().port(); }
  /// Runs the server while `client` (a shell command) talks to it; returns the client's output.
  Cmd run_with(const std::string& client) {
    asio::co_spawn(io, serve(server_ctx()), asio::detached);
    auto fut = std::async(std::launch::async, [&] { return sh(client); });
    io.run_for(std::chrono::seconds(20));
    return fut.get();
  }
};

}  // namespace

TEST_CASE("TLS server handshake and data exchange with openssl s_client") {
  EchoServer s;
  auto r = s.run_with("printf 'hello tls\\n' | timeout 20 openssl s_client -connect 127.0.0.1:" +
                      std::to_string(s.port()) + " -quiet 2>&1");
  INFO(r.out << s.error);
  CHECK(s.error.empty());
  CHECK(s.received == "hello tls\n");
  CHECK(r.out.find("HELLO TLS") != std::string::npos);
  CHECK(s.description.rfind("TLS v1.2:", 0) == 0);
}

TEST_CASE("TLS policy: TLS 1.1 and non-AEAD suites are refused") {
  {
    EchoServer s;
    auto r = s.run_with("printf 'x\\n' | timeout 20 openssl s_client -tls1_1 -connect 127.0.0.1:" +
                        std::to_string(s.port()) + " 2>&1");
    INFO(r.out);
    CHECK(s.error.rfind("tls_handshake", 0) == 0);
  }
  {
    EchoServer s;
    auto r = s.run_with(
        "printf 'x\\n' | timeout 20 openssl s_client -tls1_2 -cipher "
        "ECDHE-RSA-AES128-SHA256 -connect 127.0.0.1:" +
        std::to_string(s.port()) + " 2>&1");
    INFO(r.out);
    CHECK(s.error.rfind("tls_handshake", 0) == 0);
  }
  {
    EchoServer s;
    auto r = s.run_with(
        "printf 'x\\n' | timeout 20 openssl s_client -tls1_2 -cipher "
        "ECDHE-RSA-CHACHA20-POLY1305 -quiet -connect 127.0.0.1:" +
        std::to_string(s.port()) + " 2>&1");
    INFO(r.out);
    CHECK(s.error.empty());
    CHECK(r.out.find("X") != std::string::npos);
  }
}

TEST_CASE("TLS server handshake times out on a silent peer and fails on plaintext") {
  {
    EchoServer s;
    s.timeout = std::chrono::milliseconds(300);
    asio::co_spawn(s.io, s.serve(server_ctx()), asio::detached);
    tcp::socket c(s.io);
    c.connect({asio::ip::make_address("127.0.0.1"), s.port()});
    auto t0 = std::chrono::steady_clock::now();
    s.io.run_for(std::chrono::seconds(5));
    CHECK(s.error.rfind("tls_timeout", 0) == 0);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  }
  {
    EchoServer s;
    asio::co_spawn(s.io, s.serve(server_ctx()), asio::detached);
    tcp::socket c(s.io);
    c.connect({asio::ip::make_address("127.0.0.1"), s.port()});
    asio::write(c, asio::buffer(std::string("EHLO plaintext.example\r\n")));
    s.io.run_for(std::chrono::seconds(5));
    CHECK(s.error.rfind("tls_handshake", 0) == 0);
  }
}

TEST_CASE("TLS credentials: missing files and a key that does not match are tls_credentials") {
  auto a = net::TlsServerContext::from_pem_files("/nonexistent.pem", cert().key);
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == "tls_credentials");
  auto b = net::TlsServerContext::from_pem_files(cert().cert, "/nonexistent.pem");
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "tls_credentials");
  std::string other = cert().dir + "/other.pem";
  REQUIRE(
      sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + other + " 2>&1")
          .status == 0);
  auto c = net::TlsServerContext::from_pem_files(cert().cert, other);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("does not match") != std::string::npos);
}

namespace {
/// openssl s_server -rev (answers each line reversed) on a free port, killed by pid afterwards.
struct OpensslServer {
  std::uint16_t port;
  int pid = 0;
  explicit OpensslServer(bool ca_signed = false) {
    std::string crt = ca_signed ? cert().leaf : cert().cert;
    std::string key = ca_signed ? cert().leaf_key : cert().key;
    asio::io_context io;
    tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
    a.close();
    auto r = sh("openssl s_server -accept 127.0.0.1:" + std::to_string(port) + " -cert " + crt +
                " -key " + key + " -rev -quiet >/dev/null 2>&1 & echo $!");
    pid = std::stoi(r.out);
    for (int i = 0; i < 200; ++i) {
      tcp::socket s(io);
      boost::system::error_code ec;
      s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
      if (!ec) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~OpensslServer() {
    if (pid > 0) kill(pid, SIGTERM);
  }
};

asio::awaitable<std::string> client_exchange(std::uint16_t port, net::TlsClientOptions o) {
  auto ex = co_await asio::this_coro::executor;
  tcp::socket sock(ex);
  co_await sock.async_connect({asio::ip::make_address("127.0.0.1"), port}, asio::use_awaitable);
  auto s = co_await net::TlsStream::connect(std::move(sock), o, std::chrono::seconds(5));
  if (!s) co_return "ERROR " + s.error().code;
  auto st = co_await (*s)->write("abc\n");
  if (!st) co_return "ERROR write";
  std::string got;
  char buf[256];
  while (got.find('\n') == std::string::npos) {
    auto n = co_await (*s)->read_some(buf, sizeof buf);
    if (!n) co_return "ERROR " + n.error().code;
    if (*n == 0) break;
    got.append(buf, *n);
  }
  co_await (*s)->shutdown();
  co_return got;
}

std::string run_client(std::uint16_t port, net::TlsClientOptions o) {
  asio::io_context io;
  auto f = asio::co_spawn(io, client_exchange(port, o), asio::use_future);
  io.run_for(std::chrono::seconds(20));
  return f.get();
}
}  // namespace

TEST_CASE("TLS client handshake and data exchange with openssl s_server") {
  OpensslServer srv;
  auto got = run_client(srv.port, {"localhost", false, ""});
  CHECK(got.find("cba") != std::string::npos);
}

TEST_CASE("TLS client with verify_peer: fails without the CA, succeeds with it") {
  OpensslServer srv;
  CHECK(run_client(srv.port, {"localhost", true, "/dev/null"}) == "ERROR tls_handshake");
  OpensslServer srv2(true);
  CHECK(run_client(srv2.port, {"localhost", true, cert().ca}).find("cba") != std::string::npos);
  OpensslServer srv3(true);
  CHECK(run_client(srv3.port, {"wrong.example", true, cert().ca}) == "ERROR tls_handshake");
}
