// The only translation unit of the http module that includes Beast (compile time, see
// DEPENDENCIES.md).
#include "smimegw/http/server.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <list>
#include <mutex>
#include <random>

#include "smimegw/net/listen.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

struct Server::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor ex;
  const Router& router;
  obs::Metrics& metrics;
  ServerOptions opts;
  std::optional<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  std::mutex mu;
  struct Conn {
    beast::tcp_stream* stream;
    bool busy = false;
  };
  std::list<Conn> conns;
  std::shared_ptr<spdlog::logger> log = obs::logger("http");
  std::string id_prefix;
  std::atomic<std::uint64_t> next_id{0};

  Impl(asio::any_io_executor e, const Router& r, obs::Metrics& m, ServerOptions o)
      : ex(std::move(e)), router(r), metrics(m), opts(std::move(o)) {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    for (int i = 0; i < 8; ++i) id_prefix += hex[rd() & 15];
  }

  obs::Counter& requests(int status) {
    return metrics.counter(
        "smimegw_http_requests_total", "HTTP requests answered.",
        "listener=\"" + opts.name + "\",code=\"" + std::to_string(status) + "\"");
  }

  static Request to_request(const bhttp::request<bhttp::string_body>& in,
                            const std::string& remote) {
    Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    auto q = r.target.find('?');
    std::string raw_path = r.target.substr(0, q);
    r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
    for (size_t i = 0; i < raw_path.size(); ++i) {
      if (raw_path[i] == '%' && i + 2 < raw_path.size() && std::isxdigit(raw_path[i + 1]) &&
          std::isxdigit(raw_path[i + 2])) {
        r.path += static_cast<char>(std::stoi(raw_path.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        r.path += raw_path[i];
      }
    }
    for (const auto& f : in) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    r.body = in.body();
    r.remote = remote;
    return r;
  }

  static bhttp::response<bhttp::string_body> to_beast(const Response& resp, unsigned version,
                                                      bool keep_alive, const std::string& rid,
                                                      bool head) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(resp.status), version};
    out.set(bhttp::field::server, "smimegw");
    out.set(bhttp::field::content_type, resp.content_type);
    out.set("X-Request-Id", rid);
    for (const auto& [k, v] : resp.headers) out.set(k, v);
    out.keep_alive(keep_alive);
    out.body() = head ? std::string() : resp.body;
    out.prepare_payload();
    if (head) out.content_length(resp.body.size());
    return out;
  }

  asio::awaitable<void> write_plain(beast::tcp_stream& stream, const Response& resp,
                                    unsigned version) {
    auto out = to_beast(resp, version, false, "-", false);
    stream.expires_after(std::chrono::milliseconds(opts.request_timeout_ms));
    co_await bhttp::async_write(stream, out, use_nothrow);
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    std::string remote;
    {
      boost::system::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    std::list<Conn>::iterator me;
    {
      std::lock_guard lock(mu);
      me = conns.insert(conns.end(), Conn{&stream});
    }
    beast::flat_buffer buffer;
    for (;;) {
      if (stopping) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(opts.max_body_bytes);
      parser.header_limit(opts.max_header_bytes);
      boost::system::error_code ec;
      if (buffer.size() == 0) {
        // Idle until the first byte of a request; from then on the connection is busy (a stop()
        // lets it finish) and the whole request must arrive within the request timeout.
        stream.expires_after(std::chrono::milliseconds(opts.idle_timeout_ms));
        auto [ec0, n0] = co_await stream.async_read_some(buffer.prepare(4096), use_nothrow);
        buffer.commit(n0);
        ec = ec0;
      }
      {
        std::lock_guard lock(mu);
        me->busy = true;
      }
      if (!ec) {
        stream.expires_after(std::chrono::milliseconds(opts.request_timeout_ms));
        auto [ec0, n0] = co_await bhttp::async_read_header(stream, buffer, parser, use_nothrow);
        (void)n0;
        ec = ec0;
      }
      if (!ec && !parser.is_done()) {
        stream.expires_after(std::chrono::milliseconds(opts.request_timeout_ms));
        auto [ec1, n1] = co_await bhttp::async_read(stream, buffer, parser, use_nothrow);
        (void)n1;
        ec = ec1;
      }
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof)
        break;
      if (ec == beast::error::timeout) {
        if (parser.got_some() && !stopping) {
          co_await write_plain(
              stream, error_response(408, "request_timeout", "request not received in time"), 11);
          requests(408).inc();
        }
        break;
      }
      if (ec) {
        Response resp =
            (ec == bhttp::error::body_limit)
                ? error_response(413, "payload_too_large", "request body exceeds the limit")
            : (ec == bhttp::error::header_limit)
                ? error_response(431, "header_too_large", "request header exceeds the limit")
                : error_response(400, "bad_request", "malformed HTTP request: " + ec.message());
        requests(resp.status).inc();
        co_await write_plain(stream, resp, 11);
        break;
      }
      auto& msg = parser.get();
      Request req = to_request(msg, remote);
      req.request_id = id_prefix + "-" + std::to_string(next_id++);
      auto started = std::chrono::steady_clock::now();
      Response resp;
      try {
        resp = co_await router.dispatch(req);
      } catch (const std::exception& e) {
        obs::log(*log, spdlog::level::err, "http_handler_failed",
                 {{"listener", opts.name}, {"rid", req.request_id}, {"what", e.what()}});
        resp = error_response(500, "internal_error",
                              "internal error (request id " + req.request_id + ")");
      }
      bool keep = msg.keep_alive() && !stopping;
      auto out = to_beast(resp, msg.version(), keep, req.request_id, req.method == "HEAD");
      stream.expires_after(std::chrono::milliseconds(opts.request_timeout_ms));
      auto [wec, wn] = co_await bhttp::async_write(stream, out, use_nothrow);
      (void)wn;
      requests(resp.status).inc();
      auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count() /
                1000.0;
      obs::log(*log, spdlog::level::debug, "http_request",
               {{"listener", opts.name},
                {"rid", req.request_id},
                {"method", req.method},
                {"path", req.path},
                {"status", std::to_string(resp.status)},
                {"ms", std::to_string(ms)},
                {"remote", remote}});
      {
        std::lock_guard lock(mu);
        me->busy = false;
      }
      if (wec || !keep) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    {
      std::lock_guard lock(mu);
      conns.erase(me);
    }
    --active;
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
      auto [ec, socket] = co_await acceptor->async_accept(use_nothrow);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        obs::log(*log, spdlog::level::warn, "http_accept_failed",
                 {{"listener", opts.name}, {"error", ec.message()}});
        continue;
      }
      if (active.load() >= opts.max_connections) {
        metrics
            .counter("smimegw_http_connections_refused_total", "Connections refused at the cap.",
                     "listener=\"" + opts.name + "\"")
            .inc();
        asio::co_spawn(
            ex,
            [self, s = std::move(socket)]() mutable -> asio::awaitable<void> {
              beast::tcp_stream stream(std::move(s));
              co_await self->write_plain(
                  stream, error_response(503, "too_many_connections", "connection limit reached"),
                  11);
            },
            asio::detached);
        continue;
      }
      ++active;
      asio::co_spawn(
          ex, [self, s = std::move(socket)]() mutable { return self->session(std::move(s)); },
          asio::detached);
    }
  }
};

Server::Server(asio::any_io_executor ex, const Router& router, obs::Metrics& metrics,
               ServerOptions opts)
    : impl_(std::make_shared<Impl>(std::move(ex), router, metrics, std::move(opts))) {}

Server::~Server() {
  stop();
}

core::Status Server::listen(const std::string& host, std::uint16_t port) {
  auto acc = net::bind_acceptor(impl_->ex, host, port);
  if (!acc) return acc.error();
  impl_->acceptor.emplace(std::move(*acc));
  return {};
}

std::uint16_t Server::port() const {
  return impl_->acceptor ? impl_->acceptor->local_endpoint().port() : 0;
}

asio::awaitable<void> Server::run() {
  return impl_->accept_loop();
}

void Server::stop() {
  auto impl = impl_;
  if (!impl || impl->stopping.exchange(true)) return;
  asio::post(impl->ex, [impl] {
    boost::system::error_code ec;
    if (impl->acceptor) impl->acceptor->close(ec);
    std::lock_guard lock(impl->mu);
    for (auto& c : impl->conns)
      if (!c.busy) c.stream->socket().cancel(ec);
  });
}

int Server::active() const {
  return impl_->active.load();
}

}  // namespace smimegw::http
