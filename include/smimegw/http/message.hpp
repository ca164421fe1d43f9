// http: the request and response values handlers see. Beast stays inside server.cpp, so handler
// code compiles without it and tests can call handlers directly.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace smimegw::http {

struct Request {
  std::string method;  ///< "GET", "POST", ...
  std::string target;  ///< as sent, e.g. "/admin/v1/users?top=10"
  std::string path;    ///< target without the query, as sent (the router decodes {params})
  std::string query;   ///< raw query string without '?'
  std::map<std::string, std::string> headers;  ///< field names lower-cased
  std::string body;
  std::string remote;                         ///< peer address
  bool secure = false;                        ///< arrived over TLS (the listener has a certificate)
  std::string request_id;                     ///< echoed as X-Request-Id and logged
  std::map<std::string, std::string> params;  ///< path parameters filled by the router
  std::string principal;  ///< who authenticated (token name), set by the router; "" = nobody

  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  /// "https://host[:port]" from the listener's scheme and the Host field, for absolute links;
  /// "" when Host is missing or not a plain host[:port] (links then stay relative).
  std::string origin() const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string log_detail;  ///< logged with the request id, never sent (e.g. a hidden error's code)
};

/// The one error shape of both APIs: {"error":{"code":"...","message":"..."}}.
Response error_response(int status, const std::string& code, const std::string& message);
Response json_response(int status, std::string json_body);
std::string json_escape(const std::string& s);

}  // namespace smimegw::http
