// net: a small HTTP/1.1 client for CRL distribution points and AIA caIssuers URLs (GET, RFC 5280
// §4.2.1.13, §4.2.2.1: http scheme only) and OCSP responders (POST, RFC 6960 appendix A). Every
// fetch has a connect timeout, a total timeout and a body size cap; redirects are not followed.
// Errors (each a distinct code):
//   bad_url          not an http:// URL, or unparsable
//   fetch_failed     DNS failure, connection refused/reset, malformed response
//   fetch_timeout    connect or total timeout exceeded (transient)
//   fetch_too_large  body (declared or received) over max_bytes
//   http_status      a status other than 200 (the message names it)
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "smimegw/core/result.hpp"

namespace smimegw::net {

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{60000};
  std::chrono::milliseconds total_timeout{10000};
  std::size_t max_bytes = 20u << 20;
};

struct FetchResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct HttpUrl {
  std::string host;
  std::uint16_t port = 80;
  std::string target = "/";  ///< path and query
};

core::Result<HttpUrl> parse_http_url(const std::string& url);

/// GET `url`; completes on the caller's executor.
boost::asio::awaitable<core::Result<FetchResult>> http_get(boost::asio::any_io_executor ex,
                                                           std::string url, FetchOptions opts);

/// The same on a private io_context (for blocking callers: CLI, worker threads).
core::Result<FetchResult> http_get_blocking(const std::string& url, const FetchOptions& opts);

/// POST `body` with `content_type` to `url`; the same timeouts, size cap and errors as http_get.
boost::asio::awaitable<core::Result<FetchResult>> http_post(boost::asio::any_io_executor ex,
                                                            std::string url,
                                                            std::string content_type,
                                                            std::string body, FetchOptions opts);

/// The same on a private io_context.
core::Result<FetchResult> http_post_blocking(const std::string& url,
                                             const std::string& content_type,
                                             const std::string& body, const FetchOptions& opts);

}  // namespace smimegw::net
