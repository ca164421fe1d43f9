// http: the route table of one listener. Every route is one row: method, pattern, auth kind,
// handler. Patterns are literal segments and {name} parameters ("/admin/v1/users/{id}"); a
// parameter matches one non-empty segment. Dispatch order:
//   1. no pattern matches the path              → 404 not_found
//   2. patterns match, none with this method    → 405 method_not_allowed, Allow: the methods
//      (HEAD is served by GET routes)
//   3. route.auth != None: rate limit per caller (429 rate_limited + Retry-After), then the
//      Authenticator (401 unauthorized + WWW-Authenticate: Bearer); no authenticator = refused
//   4. the handler, with req.params and req.principal set.
// Errors are built by the error table (errors.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "smimegw/http/auth.hpp"
#include "smimegw/http/message.hpp"
#include "smimegw/http/rate_limiter.hpp"

namespace smimegw::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  AuthKind auth = AuthKind::None;
  Handler handler;
};

class Router {
 public:
  /// Adds a route; throws std::logic_error on a duplicate (method, pattern) or a bad pattern.
  void add(Route route);
  void add(std::string method, std::string pattern, Handler handler) {
    add(Route{std::move(method), std::move(pattern), AuthKind::None, std::move(handler)});
  }
  /// Who checks tokens and who limits rates for authenticated routes (either may be null: no
  /// authenticator refuses every such route; no limiter does not limit).
  void set_security(Authenticator* auth, RateLimiter* limiter) {
    auth_ = auth;
    limiter_ = limiter;
  }
  /// Runs the dispatch order of the header comment.
  boost::asio::awaitable<Response> dispatch(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allow;  ///< methods of matching patterns when route is null
  };
  /// The routing decision alone (steps 1-2).
  Match find(const std::string& method, const std::string& path) const;

  static bool match(const std::string& pattern, const std::string& path,
                    std::map<std::string, std::string>& params);

 private:
  std::vector<Route> routes_;
  Authenticator* auth_ = nullptr;
  RateLimiter* limiter_ = nullptr;
};

}  // namespace smimegw::http
