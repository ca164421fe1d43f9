// net: a deadline for one socket operation. Cancels the socket's pending operations when the time
// is up; fired() tells afterwards whether it did. A timer handler that was already queued when the
// deadline is destroyed sees `done` and leaves the socket alone. Used by the SMTP and HTTP streams.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

namespace smimegw::net {

class SocketDeadline {
 public:
  SocketDeadline(boost::asio::ip::tcp::socket& sock, std::chrono::milliseconds d)
      : timer_(sock.get_executor()), state_(std::make_shared<State>()) {
    timer_.expires_after(d);
    timer_.async_wait([s = &sock, st = state_](boost::system::error_code ec) {
      if (ec || st->done) return;
      st->fired = true;
      boost::system::error_code ignore;
      s->cancel(ignore);
    });
  }
  ~SocketDeadline() {
    state_->done = true;
    timer_.cancel();
  }
  SocketDeadline(const SocketDeadline&) = delete;
  SocketDeadline& operator=(const SocketDeadline&) = delete;
  /// True when the deadline cancelled the socket.
  bool fired() const { return state_->fired; }

 private:
  struct State {
    bool fired = false;
    bool done = false;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace smimegw::net
