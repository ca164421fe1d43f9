// http/sync: /v1.0/oauth2/token — the OAuth 2 resource-owner password grant (RFC 6749 §4.3),
// answered like Azure AD's token endpoint.
//   POST   application/x-www-form-urlencoded grant_type=password&username=U&password=P
//          (client_id and scope are accepted and ignored)
//          → 200 {"token_type":"Bearer","expires_in":N,"ext_expires_in":N,"access_token":"…",
//                 "scope":"Mail.ReadWrite Mail.Send"}, Cache-Control: no-store
//          Errors use the OAuth shape {"error":CODE,"error_description":…} (RFC 6749 §5.2):
//          400 invalid_request (missing field, wrong content type), 400 unsupported_grant_type,
//          400 invalid_grant (wrong user or password, disabled user: one answer for all).
//   DELETE (sync token) revokes the presented token → 204.
// Passwords and tokens are never logged.
#include "handlers.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

Response oauth_error(int status, const std::string& code, const std::string& description) {
  json::object o;
  o["error"] = code;
  o["error_description"] = description;
  auto r = json_value_response(status, o);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

Awaitable token_grant(Service& s, Request& req) {
  auto ctype = req.header("content-type");
  if (ctype.rfind("application/x-www-form-urlencoded", 0) != 0)
    co_return oauth_error(400, "invalid_request",
                          "the body must be application/x-www-form-urlencoded");
  auto form = parse_query(req.body);
  auto grant_type = form["grant_type"];
  if (grant_type.empty()) co_return oauth_error(400, "invalid_request", "grant_type: required");
  if (grant_type != "password")
    co_return oauth_error(400, "unsupported_grant_type", "only grant_type=password is supported");
  const auto& username = form["username"];
  const auto& password = form["password"];
  if (username.empty() || username.size() > 254)
    co_return oauth_error(400, "invalid_request", "username: required (an email address)");
  if (password.empty() || password.size() > 1024)
    co_return oauth_error(400, "invalid_request", "password: required");
  auto granted = co_await s.grant(username, password);
  if (!granted) {
    if (granted.error().code == "invalid_grant") {
      obs::log(*obs::logger("http"), spdlog::level::info, "sync_token_refused",
               {{"rid", req.request_id}, {"remote", req.remote}});
      co_return oauth_error(400, "invalid_grant", "the user name or password is incorrect");
    }
    co_return error_from(granted.error());
  }
  json::object o;
  o["token_type"] = "Bearer";
  o["scope"] = "Mail.ReadWrite Mail.Send";
  o["expires_in"] = granted->expires_in;
  o["ext_expires_in"] = granted->expires_in;
  o["access_token"] = granted->access_token;
  auto r = json_value_response(200, o);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Pragma", "no-cache");
  co_return r;
}

Awaitable token_revoke(Service& s, Request& req) {
  auto st = co_await s.revoke(req.principal, bearer_token(req));
  if (!st) co_return error_from(st.error());
  Response r;
  r.status = 204;
  co_return r;
}

}  // namespace smimegw::http::sync
