// http: the route table. Every route of a listener is one row: method, pattern, handler. Patterns
// are literal segments and {name} parameters ("/admin/v1/users/{id}"). An unknown path answers
// 404 not_found; a known path with another method answers 405 method_not_allowed with Allow.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <vector>

#include "smimegw/http/message.hpp"

namespace smimegw::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler);
  /// Finds the route, fills req.params and runs it; 404/405 otherwise.
  boost::asio::awaitable<Response> dispatch(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool match(const std::string& pattern, const std::string& path,
                    std::map<std::string, std::string>& params);
  std::vector<Route> routes_;
};

}  // namespace smimegw::http
