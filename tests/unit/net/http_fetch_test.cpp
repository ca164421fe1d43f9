// http_get against real loopback servers (a Python http.server child for normal answers; raw
// sockets of our own for the slow, silent and oversized cases).
#include "smimegw/net/http_fetch.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace smimegw;
using namespace std::chrono_literals;

namespace {

// A one-shot TCP server on 127.0.0.1 whose behaviour the test chooses.
class RawServer {
 public:
  explicit RawServer(std::function<void(int)> on_client) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 4);
    thread_ = std::thread([this, on_client] {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c >= 0) {
        on_client(c);
        ::close(c);
      }
    });
  }
  ~RawServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url(const std::string& path = "/crl") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

void drain_request(int c) {
  char buf[4096];
  std::string got;
  while (got.find("\r\n\r\n") == std::string::npos) {
    auto n = ::recv(c, buf, sizeof buf, 0);
    if (n <= 0) return;
    got.append(buf, static_cast<size_t>(n));
  }
}

void send_all(int c, const std::string& s) {
  ::send(c, s.data(), s.size(), MSG_NOSIGNAL);
}

}  // namespace

TEST_CASE("http_get returns the body of a 200 answer") {
  RawServer srv([](int c) {
    drain_request(c);
    send_all(
        c,
        "HTTP/1.1 200 OK\r\nContent-Type: application/pkix-crl\r\nContent-Length: 5\r\n\r\nhello");
  });
  auto r = net::http_get_blocking(srv.url(), {});
  REQUIRE(r.ok());
  CHECK(r->body == "hello");
  CHECK(r->content_type == "application/pkix-crl");
}

TEST_CASE("http_get reports a non-200 status") {
  RawServer srv([](int c) {
    drain_request(c);
    send_all(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  });
  auto r = net::http_get_blocking(srv.url(), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "http_status");
  CHECK(r.error().message.find("404") != std::string::npos);
}

TEST_CASE("http_get gives up on a silent server within the total timeout") {
  RawServer srv([](int c) {
    drain_request(c);
    std::this_thread::sleep_for(1500ms);
  });
  auto start = std::chrono::steady_clock::now();
  auto r = net::http_get_blocking(srv.url(), {.total_timeout = 300ms});
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "fetch_timeout");
  CHECK(r.error().temporary);
  CHECK(took < 1200ms);
}

TEST_CASE("http_get cuts off a slow trickle at the total timeout") {
  RawServer srv([](int c) {
    drain_request(c);
    send_all(c, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
    for (int i = 0; i < 30; ++i) {
      send_all(c, "x");
      std::this_thread::sleep_for(50ms);
    }
  });
  auto r = net::http_get_blocking(srv.url(), {.total_timeout = 400ms});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "fetch_timeout");
}

TEST_CASE("http_get refuses bodies over the cap, declared or streamed") {
  RawServer declared([](int c) {
    drain_request(c);
    send_all(c, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
  });
  auto r = net::http_get_blocking(declared.url(), {.max_bytes = 1000});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "fetch_too_large");
  RawServer streamed([](int c) {
    drain_request(c);
    send_all(c, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(5000, 'x'));
  });
  auto r2 = net::http_get_blocking(streamed.url(), {.max_bytes = 1000});
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().code == "fetch_too_large");
}

TEST_CASE("http_get reports garbage and refused connections as fetch_failed") {
  RawServer garbage([](int c) {
    drain_request(c);
    send_all(c, "\x16\x03\x01 definitely not http\r\n\r\n");
  });
  auto r = net::http_get_blocking(garbage.url(), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "fetch_failed");
  auto refused = net::http_get_blocking("http://127.0.0.1:1/crl", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "fetch_failed");
}

TEST_CASE("only http URLs are fetched") {
  for (const char* bad :
       {"https://ca.test/crl", "ldap://ca.test/cn=x", "ftp://x/y", "http://",
        "http://user:pw@host/x", "http://host:0/x", "http://host:99999/x", "http://host/a b"}) {
    INFO(bad);
    auto r = net::parse_http_url(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "bad_url");
  }
  auto u = net::parse_http_url("HTTP://ca.example.test:8080/crl/root.crl?x=1");
  REQUIRE(u.ok());
  CHECK(u->host == "ca.example.test");
  CHECK(u->port == 8080);
  CHECK(u->target == "/crl/root.crl?x=1");
  auto v6 = net::parse_http_url("http://[::1]:81/x");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 81);
}
