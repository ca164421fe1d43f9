// An in-process HTTP/1.0-style server on 127.0.0.1 for AIA certificates and CRLs, switchable to
// down (connection closed without an answer), slow (answers after `slow_delay`), garbage (random
// bytes with 200) and oversized (declares and streams 64 MiB). Counts requests per path.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace smimegw::test {

class TestHttpServer {
 public:
  enum class Mode { normal, down, slow, garbage, oversized };

  TestHttpServer();
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  void serve(const std::string& path, std::string body);
  void remove(const std::string& path);
  void set_mode(Mode m) { mode_ = m; }
  std::chrono::milliseconds slow_delay{2000};

  std::string url(const std::string& path) const;
  std::size_t requests() const { return total_.load(); }
  std::size_t requests(const std::string& path) const;

 private:
  void accept_loop();
  void handle(int fd);

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<Mode> mode_{Mode::normal};
  std::atomic<std::size_t> total_{0};
  mutable std::mutex mu_;
  std::map<std::string, std::string> bodies_;
  std::map<std::string, std::size_t> counts_;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

}  // namespace smimegw::test
