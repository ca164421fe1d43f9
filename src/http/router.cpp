#include "smimegw/http/router.hpp"

#include <cctype>
#include <stdexcept>

#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::http {

std::string Request::origin() const {
  const std::string host = header("host");
  if (host.empty() || host.size() > 261) return {};
  for (unsigned char c : host)  // host name or [IPv6], optional :port; nothing else
    if (!std::isalnum(c) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') return {};
  return (secure ? "https://" : "http://") + host;
}

std::string json_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response error_response(int status, const std::string& code, const std::string& message) {
  return json_response(status, "{\"error\":{\"code\":\"" + json_escape(code) + "\",\"message\":\"" +
                                   json_escape(message) + "\"}}");
}

void Router::add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/')
    throw std::logic_error("route pattern must start with '/': " + route.pattern);
  for (const auto& r : routes_)
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::logic_error("duplicate route " + route.method + " " + route.pattern);
  routes_.push_back(std::move(route));
}

bool Router::match(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& params) {
  size_t i = 0, j = 0;
  while (i < pattern.size() && j <= path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      if (close == std::string::npos) return false;
      auto name = pattern.substr(i + 1, close - i - 1);
      auto end = path.find('/', j);
      if (end == std::string::npos) end = path.size();
      if (end == j) return false;
      params[name] = path.substr(j, end - j);
      i = close + 1;
      j = end;
    } else {
      if (j >= path.size() || pattern[i] != path[j]) return false;
      ++i;
      ++j;
    }
  }
  return i == pattern.size() && j == path.size();
}

Router::Match Router::find(const std::string& method, const std::string& path) const {
  Match m;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match(r.pattern, path, params)) continue;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      m.route = &r;
      m.params = std::move(params);
      m.allow.clear();
      return m;
    }
    if (m.allow.find(r.method) == std::string::npos)
      m.allow += (m.allow.empty() ? "" : ", ") + r.method;
  }
  return m;
}

namespace {

std::map<std::string, std::string> decode_params(const std::map<std::string, std::string>& raw) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : raw) out[k] = percent_decode(v, false);
  return out;
}

Response rate_limited(int wait) {
  auto resp =
      problem("rate_limited", "too many requests; retry after " + std::to_string(wait) + " s");
  resp.headers.emplace_back("Retry-After", std::to_string(wait));
  return resp;
}

Response refused(const core::Error& e) {
  auto resp = error_from(e);
  if (resp.status == 401) resp.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"smimegw\"");
  return resp;
}

}  // namespace

boost::asio::awaitable<Response> Router::dispatch(Request& req) const {
  auto m = find(req.method, req.path);
  if (!m.route && !m.allow.empty()) {
    auto resp = problem("method_not_allowed", req.method + " is not allowed on " + req.path);
    resp.headers.emplace_back("Allow", m.allow);
    co_return resp;
  }
  if (!m.route) co_return problem("not_found", "no such resource");
  // Parameters are matched on the raw path and decoded afterwards, so "%2F" stays inside one.
  req.params = decode_params(m.params);
  if (m.route->auth != AuthKind::None) {
    // Callers whose token is missing or wrong are limited per client address (so guessing
    // tokens is slow), authenticated callers per token.
    const std::string addr_key = "addr:" + req.remote;
    std::optional<int> wait;
    if (limiter_) wait = limiter_->blocked(addr_key);
    if (wait) co_return rate_limited(*wait);
    core::Result<Principal> who = core::Error::make("unauthorized", "no authenticator");
    std::string token = bearer_token(req);
    if (auth_) who = co_await auth_->authenticate(m.route->auth, token);
    if (!who) {
      if (limiter_ && who.error().code == "unauthorized") wait = limiter_->acquire(addr_key);
      if (wait) co_return rate_limited(*wait);
      co_return refused(who.error());
    }
    if (limiter_) wait = limiter_->acquire("token:" + who->name);
    if (wait) co_return rate_limited(*wait);
    req.principal = who->name;
  }
  co_return co_await m.route->handler(req);
}

}  // namespace smimegw::http
