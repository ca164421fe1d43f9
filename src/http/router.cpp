#include "smimegw/http/router.hpp"

namespace smimegw::http {

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

void Router::add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back({std::move(method), std::move(pattern), std::move(handler)});
}

bool Router::match(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& params) {
  size_t i = 0, j = 0;
  while (i < pattern.size() && j <= path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
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

boost::asio::awaitable<Response> Router::dispatch(Request& req) const {
  std::string allow;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match(r.pattern, req.path, params)) continue;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      req.params = std::move(params);
      co_return co_await r.handler(req);
    }
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (!allow.empty()) {
    auto resp = error_response(405, "method_not_allowed", req.method + " is not allowed here");
    resp.headers.emplace_back("Allow", allow);
    co_return resp;
  }
  co_return error_response(404, "not_found", "no such resource");
}

}  // namespace smimegw::http
