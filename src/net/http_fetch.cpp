#include "smimegw/net/http_fetch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <functional>

namespace smimegw::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

core::Result<HttpUrl> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), url.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
    return core::Error::make("bad_url", "only http:// URLs are fetched: " + url.substr(0, 200));
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  HttpUrl out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (authority.find('@') != std::string::npos)
    return core::Error::make("bad_url", "credentials in URLs are not supported");
  std::string host = authority;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) return core::Error::make("bad_url", "unterminated IPv6 host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return core::Error::make("bad_url", "bad port");
      authority = "x" + authority.substr(close + 1);
    } else {
      authority = host;
    }
  }
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(':') == colon) {
    auto port = authority.substr(colon + 1);
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || p != port.data() + port.size() || value == 0 ||
        value > 65535)
      return core::Error::make("bad_url", "bad port in URL");
    out.port = static_cast<std::uint16_t>(value);
    if (host == authority) host = authority.substr(0, colon);
  }
  if (host.empty()) return core::Error::make("bad_url", "URL has no host");
  for (char c : out.target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return core::Error::make("bad_url", "URL contains spaces or control characters");
  out.host = host;
  return out;
}

namespace {

// One request/response exchange (GET without a body, or POST with one); see the header.
asio::awaitable<core::Result<FetchResult>> exchange(asio::any_io_executor ex, bhttp::verb verb,
                                                    std::string url, std::string content_type,
                                                    std::string body, FetchOptions opts) {
  auto parsed = parse_http_url(url);
  if (!parsed) co_return parsed.error();
  constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
  auto started = std::chrono::steady_clock::now();
  auto remaining = [&] {
    auto left = opts.total_timeout - std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - started);
    return std::max(left, std::chrono::milliseconds(1));
  };
  const std::string where = parsed->host + ":" + std::to_string(parsed->port);

  tcp::resolver resolver(ex);
  auto [rec, endpoints] =
      co_await resolver.async_resolve(parsed->host, std::to_string(parsed->port), tuple);
  if (rec)
    co_return core::Error::make("fetch_failed", where + ": cannot resolve: " + rec.message());

  beast::tcp_stream stream(ex);
  stream.expires_after(std::min(opts.connect_timeout, remaining()));
  auto [cec, ep] = co_await stream.async_connect(endpoints, tuple);
  (void)ep;
  if (cec == beast::error::timeout)
    co_return core::Error::transient("fetch_timeout", where + ": connect timed out");
  if (cec) co_return core::Error::make("fetch_failed", where + ": " + cec.message());

  bhttp::request<bhttp::string_body> req{verb, parsed->target, 11};
  req.set(bhttp::field::host, parsed->host);
  req.set(bhttp::field::user_agent, "smimegw");
  req.set(bhttp::field::connection, "close");
  if (verb == bhttp::verb::post) {
    req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
  }
  stream.expires_after(remaining());
  auto [wec, wn] = co_await bhttp::async_write(stream, req, tuple);
  (void)wn;
  if (wec == beast::error::timeout)
    co_return core::Error::transient("fetch_timeout", where + ": timed out sending the request");
  if (wec) co_return core::Error::make("fetch_failed", where + ": " + wec.message());

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(opts.max_bytes);
  parser.header_limit(32 * 1024);
  stream.expires_after(remaining());
  auto [rdec, rn] = co_await bhttp::async_read(stream, buffer, parser, tuple);
  (void)rn;
  if (rdec == beast::error::timeout)
    co_return core::Error::transient("fetch_timeout",
                                     where + ": no complete answer within " +
                                         std::to_string(opts.total_timeout.count()) + " ms");
  if (rdec == bhttp::error::body_limit)
    co_return core::Error::make("fetch_too_large", where + ": response larger than " +
                                                       std::to_string(opts.max_bytes) + " bytes");
  if (rdec)
    co_return core::Error::make("fetch_failed", where + ": bad response: " + rdec.message());
  auto& res = parser.get();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  FetchResult out;
  out.status = static_cast<int>(res.result_int());
  if (out.status != 200)
    co_return core::Error::make("http_status",
                                where + ": HTTP status " + std::to_string(out.status));
  out.content_type = std::string(res[bhttp::field::content_type]);
  out.body = std::move(res.body());
  co_return out;
}

core::Result<FetchResult> run_blocking(
    std::function<asio::awaitable<core::Result<FetchResult>>(asio::any_io_executor)> make) {
  asio::io_context io;
  auto fut = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<std::optional<core::Result<FetchResult>>> {
        co_return co_await make(io.get_executor());
      },
      asio::use_future);
  io.run();
  return std::move(*fut.get());
}

}  // namespace

asio::awaitable<core::Result<FetchResult>> http_get(asio::any_io_executor ex, std::string url,
                                                    FetchOptions opts) {
  return exchange(ex, bhttp::verb::get, std::move(url), "", "", opts);
}

asio::awaitable<core::Result<FetchResult>> http_post(asio::any_io_executor ex, std::string url,
                                                     std::string content_type, std::string body,
                                                     FetchOptions opts) {
  return exchange(ex, bhttp::verb::post, std::move(url), std::move(content_type), std::move(body),
                  opts);
}

core::Result<FetchResult> http_get_blocking(const std::string& url, const FetchOptions& opts) {
  return run_blocking([&](asio::any_io_executor ex) { return http_get(ex, url, opts); });
}

core::Result<FetchResult> http_post_blocking(const std::string& url,
                                             const std::string& content_type,
                                             const std::string& body, const FetchOptions& opts) {
  return run_blocking(
      [&](asio::any_io_executor ex) { return http_post(ex, url, content_type, body, opts); });
}

}  // namespace smimegw::net
