#include "test_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace smimegw::test {
namespace {

void send_all(int c, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    auto n = ::send(c, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

}  // namespace

TestHttpServer::TestHttpServer() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
  socklen_t len = sizeof a;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  ::listen(fd_, 16);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
  stop_ = true;
  acceptor_.join();
  ::close(fd_);
  for (auto& t : workers_) t.join();
}

void TestHttpServer::serve(const std::string& path, std::string body) {
  std::lock_guard lock(mu_);
  bodies_[path] = std::move(body);
}

void TestHttpServer::remove(const std::string& path) {
  std::lock_guard lock(mu_);
  bodies_.erase(path);
}

std::string TestHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::size_t TestHttpServer::requests(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

void TestHttpServer::accept_loop() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) continue;
    std::lock_guard lock(mu_);
    workers_.emplace_back([this, c] {
      handle(c);
      ::close(c);
    });
  }
}

void TestHttpServer::handle(int c) {
  std::string req;
  char buf[4096];
  while (req.find("\r\n\r\n") == std::string::npos && req.size() < 65536) {
    pollfd p{c, POLLIN, 0};
    if (::poll(&p, 1, 2000) <= 0) return;
    auto n = ::recv(c, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.append(buf, static_cast<std::size_t>(n));
  }
  auto sp1 = req.find(' ');
  auto sp2 = req.find(' ', sp1 + 1);
  std::string path = sp1 == std::string::npos ? "" : req.substr(sp1 + 1, sp2 - sp1 - 1);
  ++total_;
  std::string body;
  bool found = false;
  {
    std::lock_guard lock(mu_);
    ++counts_[path];
    if (auto it = bodies_.find(path); it != bodies_.end()) {
      body = it->second;
      found = true;
    }
  }
  switch (mode_.load()) {
    case Mode::down:
      return;  // closed without an answer
    case Mode::slow: {
      auto until = std::chrono::steady_clock::now() + slow_delay;
      while (!stop_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      break;
    }
    case Mode::garbage: {
      std::string junk(512, '\0');
      for (std::size_t i = 0; i < junk.size(); ++i)
        junk[i] = static_cast<char>((i * 131 + 7) % 251);
      send_all(c, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(junk.size()) +
                      "\r\nConnection: close\r\n\r\n" + junk);
      return;
    }
    case Mode::oversized: {
      const std::size_t total = 64u << 20;
      send_all(c, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(total) +
                      "\r\nConnection: close\r\n\r\n");
      std::string chunk(65536, 'A');
      for (std::size_t sent = 0; sent < total && !stop_; sent += chunk.size()) send_all(c, chunk);
      return;
    }
    case Mode::normal:
      break;
  }
  if (!found) {
    send_all(c, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return;
  }
  send_all(c, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
}

}  // namespace smimegw::test
