// The only translation unit of the http module that includes Beast (compile time, see
// DEPENDENCIES.md). Beast's parser is fed from detail::Conn (plain or TLS), and responses are
// written as text, so the same loop serves both.
#include "smimegw/http/server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <chrono>
#include <list>
#include <map>
#include <mutex>
#include <random>

#include "conn.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/net/listen.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ms = std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

namespace {

/// What reading one request ended with.
enum class ReadEnd { Done, Closed, Timeout, Failed };

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-') return false;
  return true;
}

std::string header_safe(const std::string& v) {
  std::string out;
  for (char c : v)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string serialize(const Response& resp, bool keep_alive, const std::string& rid, bool head) {
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(resp.status));
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " + std::string(reason) + "\r\n";
  out += "Server: smimegw\r\n";
  if (resp.status != 204) out += "Content-Type: " + header_safe(resp.content_type) + "\r\n";
  out += "X-Request-Id: " + rid + "\r\n";
  for (const auto& [k, v] : resp.headers) out += header_safe(k) + ": " + header_safe(v) + "\r\n";
  if (resp.status != 204) out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  out += "\r\n";
  if (!head && resp.status != 204) out += resp.body;
  return out;
}

// A plain function: g++ 12 mishandles ?: producing class temporaries inside coroutines.
Response parse_error(const boost::system::error_code& ec, std::uint64_t max_body) {
  if (ec == bhttp::error::body_limit)
    return problem("payload_too_large",
                   "request body exceeds " + std::to_string(max_body) + " bytes");
  if (ec == bhttp::error::header_limit)
    return problem("header_too_large", "request header exceeds the limit");
  return problem("bad_request", "malformed HTTP request: " + ec.message());
}

/// The origin-form of an absolute-form target ("http://host:port/p?q" → "/p?q"; RFC 9112 §3.2.2:
/// a server must accept it, and clients following our absolute @odata links may send it).
std::string origin_form(std::string target) {
  auto scheme = target.find("://");
  if (scheme == std::string::npos || scheme > 5 || target.compare(0, 1, "/") == 0) return target;
  std::string lower = target.substr(0, scheme);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "http" && lower != "https") return target;
  auto path = target.find_first_of("/?", scheme + 3);
  if (path == std::string::npos) return "/";
  return target[path] == '?' ? "/" + target.substr(path) : target.substr(path);
}

Request to_request(const bhttp::request<bhttp::string_body>& in, const std::string& remote,
                   bool secure) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = origin_form(std::string(in.target()));
  r.secure = secure;
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  r.query = q == std::string::npos ? "" : r.target.substr(q + 1);
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.body = in.body();
  r.remote = remote;
  return r;
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  asio::any_io_executor ex;
  const Router& router;
  obs::Metrics& metrics;
  ServerOptions opts;
  std::optional<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<int> active{0};
  std::mutex mu;
  struct Slot {
    detail::Conn* conn;
    bool busy = false;
  };
  std::list<Slot> conns;
  std::map<std::string, int> per_address;  ///< open connections by client address (under mu)
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

  void set_busy(std::list<Slot>::iterator me, bool busy) {
    std::lock_guard lock(mu);
    me->busy = busy;
  }

  /// Feeds `pending` (bytes already read) and further reads into `parser` until the request is
  /// complete. The header must end by `header_by`, the whole request by `request_by`.
  asio::awaitable<ReadEnd> read_request(detail::Conn& conn, std::string& pending,
                                        bhttp::request_parser<bhttp::string_body>& parser,
                                        SteadyClock::time_point header_by,
                                        SteadyClock::time_point request_by, Response& error) {
    char buf[8192];
    bool continue_sent = false;
    ReadEnd end = ReadEnd::Done;
    for (;;) {
      boost::system::error_code ec;
      if (!pending.empty()) {
        auto used = parser.put(asio::buffer(pending), ec);
        pending.erase(0, used);
        if (ec == bhttp::error::need_more) ec = {};
      }
      if (ec) {
        error = parse_error(ec, opts.max_body_bytes);
        end = ReadEnd::Failed;
        break;
      }
      if (parser.is_done()) break;
      if (!parser.is_header_done() && pending.size() > opts.max_header_bytes) {
        error = problem("header_too_large", "request header exceeds the limit");
        end = ReadEnd::Failed;
        break;
      }
      if (parser.is_header_done() && !continue_sent) {
        continue_sent = true;
        auto expect = parser.get()[bhttp::field::expect];
        if (expect.size() == 12 && boost::beast::iequals(expect, "100-continue")) {
          auto st =
              co_await conn.write("HTTP/1.1 100 Continue\r\n\r\n", ms(opts.request_timeout_ms));
          if (!st) {
            end = ReadEnd::Closed;
            break;
          }
        }
      }
      auto by = request_by;
      if (!parser.is_header_done() && header_by < request_by) by = header_by;
      auto left = std::chrono::duration_cast<ms>(by - SteadyClock::now());
      if (left.count() <= 0) {
        end = ReadEnd::Timeout;
        break;
      }
      auto got = co_await conn.read_some(buf, sizeof buf, left);
      if (!got) {
        end = got.error().code == "timeout" ? ReadEnd::Timeout : ReadEnd::Closed;
        break;
      }
      pending.append(buf, *got);
    }
    co_return end;
  }

  void log_request(const Request& req, const Response& resp, double elapsed_ms) {
    auto level = resp.status >= 500 ? spdlog::level::warn : spdlog::level::info;
    obs::log(*log, level, "http_request",
             {{"listener", opts.name},
              {"rid", req.request_id},
              {"method", req.method},
              {"path", req.path},
              {"status", std::to_string(resp.status)},
              {"principal", req.principal},
              {"ms", std::to_string(elapsed_ms)},
              {"remote", req.remote},
              {"detail", resp.log_detail}});
  }

  /// `remote`: the client address, already counted in per_address by the accept loop.
  asio::awaitable<void> session(tcp::socket socket, std::string remote) {
    detail::Conn conn(std::move(socket));
    std::list<Slot>::iterator me;
    {
      std::lock_guard lock(mu);
      me = conns.insert(conns.end(), Slot{&conn});
    }
    bool open = true;
    if (opts.tls) {
      auto st = co_await conn.accept_tls(opts.tls, ms(opts.header_timeout_ms));
      if (!st) {
        obs::log(*log, spdlog::level::debug, "http_tls_failed",
                 {{"listener", opts.name}, {"remote", remote}, {"error", st.error().message}});
        open = false;
      }
    }
    std::string pending;
    bool first_request = true;
    while (open && !stopping) {
      if (pending.empty()) {
        // Idle until the first byte of a request; from then on the connection is busy (a stop()
        // lets it finish). A new connection gets only the header timeout for its first byte:
        // connections that never send would otherwise hold a slot for the whole idle timeout.
        char first[4096];
        const int wait = first_request ? std::min(opts.header_timeout_ms, opts.idle_timeout_ms)
                                       : opts.idle_timeout_ms;
        auto got = co_await conn.read_some(first, sizeof first, ms(wait));
        if (!got) break;
        pending.append(first, *got);
      }
      first_request = false;
      set_busy(me, true);
      auto started = SteadyClock::now();
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(opts.max_body_bytes);
      parser.header_limit(opts.max_header_bytes);
      parser.eager(true);
      Response error;
      auto end = co_await read_request(conn, pending, parser, started + ms(opts.header_timeout_ms),
                                       started + ms(opts.request_timeout_ms), error);
      if (end == ReadEnd::Closed) break;
      if (end == ReadEnd::Timeout)
        error = problem("request_timeout", "request not received in time");
      if (end != ReadEnd::Done) {
        Request req;
        req.method = "-";
        req.remote = remote;
        req.request_id = id_prefix + "-" + std::to_string(next_id++);
        requests(error.status).inc();
        log_request(req, error, 0);
        auto text = serialize(error, false, req.request_id, false);
        co_await conn.write(text, ms(opts.request_timeout_ms));
        break;
      }
      auto& msg = parser.get();
      Request req = to_request(msg, remote, opts.tls != nullptr);
      auto client_id = req.header("x-request-id");
      if (valid_request_id(client_id))
        req.request_id = client_id;
      else
        req.request_id = id_prefix + "-" + std::to_string(next_id++);
      Response resp;
      try {
        resp = co_await router.dispatch(req);
      } catch (const std::exception& e) {
        resp = problem("internal_error", e.what());
      }
      bool keep = msg.keep_alive() && !stopping;
      auto text = serialize(resp, keep, req.request_id, req.method == "HEAD");
      auto status = co_await conn.write(text, ms(opts.request_timeout_ms));
      requests(resp.status).inc();
      auto elapsed =
          std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started)
              .count() /
          1000.0;
      log_request(req, resp, elapsed);
      set_busy(me, false);
      if (!status || !keep) break;
    }
    co_await conn.close();
    {
      std::lock_guard lock(mu);
      conns.erase(me);
      release_address(remote);
    }
    --active;
  }

  /// Counts a connection from `remote` in; false (nothing counted) when that address is at the
  /// per-address cap. Call under mu.
  bool admit_address(const std::string& remote) {
    int& n = per_address[remote];
    if (n >= opts.max_connections_per_address) {
      if (n == 0) per_address.erase(remote);
      return false;
    }
    ++n;
    return true;
  }
  void release_address(const std::string& remote) {
    auto it = per_address.find(remote);
    if (it != per_address.end() && --it->second <= 0) per_address.erase(it);
  }

  asio::awaitable<void> refuse(tcp::socket s) {
    detail::Conn conn(std::move(s));
    if (!opts.tls) {
      auto text =
          serialize(problem("too_many_connections", "connection limit reached"), false, "-", false);
      co_await conn.write(text, ms(opts.request_timeout_ms));
    }
    co_await conn.close();
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
      std::string remote;
      {
        boost::system::error_code rec;
        auto ep = socket.remote_endpoint(rec);
        if (!rec) remote = ep.address().to_string();
      }
      bool admitted = active.load() < opts.max_connections;
      if (admitted) {
        std::lock_guard lock(mu);
        admitted = admit_address(remote);  // counted here, released when the session ends
      }
      if (!admitted) {
        metrics
            .counter("smimegw_http_connections_refused_total", "Connections refused at the cap.",
                     "listener=\"" + opts.name + "\"")
            .inc();
        asio::co_spawn(
            ex, [self, s = std::move(socket)]() mutable { return self->refuse(std::move(s)); },
            asio::detached);
        continue;
      }
      ++active;
      asio::co_spawn(
          ex,
          [self, s = std::move(socket), r = std::move(remote)]() mutable {
            return self->session(std::move(s), std::move(r));
          },
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
      if (!c.busy) c.conn->cancel();
  });
}

int Server::active() const {
  return impl_->active.load();
}

}  // namespace smimegw::http
