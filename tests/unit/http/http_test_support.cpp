#include "http_test_support.hpp"

#include <poll.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace smimegw::test {

namespace asio = boost::asio;

TestHttpServer::TestHttpServer(const http::Router& router, http::ServerOptions opts) {
  server_ = std::make_unique<http::Server>(io_.get_executor(), router, metrics, std::move(opts));
  auto st = server_->listen("127.0.0.1", 0);
  if (!st) throw std::runtime_error(st.error().message);
  port_ = server_->port();
  asio::co_spawn(io_, server_->run(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

TestHttpServer::~TestHttpServer() {
  server_->stop();
  for (int i = 0; i < 200 && server_->active() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io_.stop();
  thread_.join();
  server_.reset();
}

RawHttpClient::RawHttpClient(std::uint16_t port) : sock_(io_) {
  sock_.connect({asio::ip::make_address("127.0.0.1"), port});
}

void RawHttpClient::send(const std::string& bytes) {
  asio::write(sock_, asio::buffer(bytes));
}

namespace {
bool wait_readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}
}  // namespace

std::string RawHttpClient::response(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto end = buf_.find("\r\n\r\n");
    if (end != std::string::npos) {
      std::size_t len = 0;
      auto head = buf_.substr(0, end + 4);
      auto cl = header_value(head, "Content-Length");
      if (!cl.empty()) len = std::stoul(cl);
      if (buf_.size() >= end + 4 + len) {
        auto out = buf_.substr(0, end + 4 + len);
        buf_.erase(0, end + 4 + len);
        return out;
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0 || !wait_readable(sock_.native_handle(), static_cast<int>(left))) return "";
    char tmp[4096];
    boost::system::error_code ec;
    auto n = sock_.read_some(asio::buffer(tmp), ec);
    if (ec) return "";
    buf_.append(tmp, n);
  }
}

bool RawHttpClient::closed_within(int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0 || !wait_readable(sock_.native_handle(), static_cast<int>(left))) return false;
    char tmp[4096];
    boost::system::error_code ec;
    auto n = sock_.read_some(asio::buffer(tmp), ec);
    if (ec) return true;
    buf_.append(tmp, n);
  }
}

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string header_value(const std::string& response, const std::string& name) {
  auto end = response.find("\r\n\r\n");
  std::string lname;
  for (char c : name) lname += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t pos = response.find("\r\n");
  while (pos != std::string::npos && pos < end) {
    auto next = response.find("\r\n", pos + 2);
    auto line = response.substr(pos + 2, next - pos - 2);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string key;
      for (char c : line.substr(0, colon))
        key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (key == lname) {
        auto v = line.substr(colon + 1);
        auto b = v.find_first_not_of(' ');
        return b == std::string::npos ? "" : v.substr(b);
      }
    }
    pos = next;
  }
  return "";
}

std::string body_of(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

}  // namespace smimegw::test
