#include "conn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "smimegw/net/socket_deadline.hpp"

namespace smimegw::http::detail {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

using Deadline = net::SocketDeadline;

core::Error io_error(bool timed_out, bool closed, const std::string& what) {
  if (timed_out) return core::Error::transient("timeout", "timeout");
  if (closed) return core::Error::transient("closed", "peer closed the connection");
  return core::Error::transient("io", what);
}

}  // namespace

asio::awaitable<core::Status> Conn::accept_tls(std::shared_ptr<net::TlsServerContext> ctx,
                                               std::chrono::milliseconds timeout) {
  auto r = co_await net::TlsStream::accept(std::move(*plain_), std::move(ctx), timeout);
  plain_.reset();
  if (!r) co_return r.error();
  tls_ = std::move(*r);
  co_return core::Status();
}

asio::awaitable<core::Result<std::size_t>> Conn::read_some(char* buf, std::size_t n,
                                                           std::chrono::milliseconds timeout) {
  if (!tls_ && !plain_) co_return io_error(false, true, "");
  Deadline d(socket(), timeout);
  if (tls_) {
    auto r = co_await tls_->read_some(buf, n);
    if (d.fired()) co_return io_error(true, false, "");
    if (!r) co_return io_error(false, true, r.error().message);
    if (*r == 0) co_return io_error(false, true, "");
    co_return *r;
  }
  auto [ec, got] = co_await plain_->async_read_some(asio::buffer(buf, n), use_nothrow);
  if (d.fired()) co_return io_error(true, false, "");
  if (ec) co_return io_error(false, true, ec.message());
  co_return got;
}

asio::awaitable<core::Status> Conn::write(std::string_view data,
                                          std::chrono::milliseconds timeout) {
  if (!tls_ && !plain_) co_return io_error(false, true, "");
  Deadline d(socket(), timeout);
  if (tls_) {
    auto st = co_await tls_->write(data);
    if (d.fired()) co_return io_error(true, false, "");
    if (!st) co_return io_error(false, false, st.error().message);
    co_return core::Status();
  }
  auto [ec, n] =
      co_await asio::async_write(*plain_, asio::buffer(data.data(), data.size()), use_nothrow);
  (void)n;
  if (d.fired()) co_return io_error(true, false, "");
  if (ec) co_return io_error(false, false, ec.message());
  co_return core::Status();
}

asio::awaitable<void> Conn::close() {
  if (tls_) {
    Deadline d(socket(), std::chrono::seconds(2));  // close_notify to a peer that doesn't read
    co_await tls_->shutdown();
    co_return;
  }
  if (!plain_) co_return;
  boost::system::error_code ignore;
  plain_->shutdown(tcp::socket::shutdown_both, ignore);
  plain_->close(ignore);
}

void Conn::cancel() {
  if (!tls_ && !plain_) return;
  boost::system::error_code ignore;
  socket().cancel(ignore);
}

}  // namespace smimegw::http::detail
