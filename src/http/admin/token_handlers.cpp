// http/admin: a user's sync API tokens (the mobile clients' bearer tokens, api_tokens kind sync).
//   GET    users/{id}/sync-tokens → paginated [{id, createdAt, expiresAt, lastUsedAt}], active
//          tokens only, oldest first, never the token or its hash
//   DELETE users/{id}/sync-tokens → 200 {"revoked": N}: every active token of the user; the next
//          sync request with any of them is 401
//   DELETE users/{id}/sync-tokens/{tokenId} → 204; 404 when it is no active token of that user
#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

void log_revoked(const Request& req, const std::string& user, const std::string& which, int n) {
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_tokens_revoked",
           {{"rid", req.request_id},
            {"by", req.principal},
            {"user", user},
            {"token", which},
            {"revoked", std::to_string(n)}});
}

}  // namespace

Awaitable sync_tokens_list(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto list = co_await s.sync_tokens->list(*key);
  if (!list) co_return error_from(list.error());
  json::array items;
  for (const auto& t : *list) items.push_back(to_json(t));
  co_return page_of(items, *page, req);
}

Awaitable sync_tokens_revoke_all(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto n = co_await s.sync_tokens->revoke(*key, std::nullopt);
  if (!n) co_return error_from(n.error());
  log_revoked(req, *key, "all", *n);
  json::object o;
  o["revoked"] = *n;
  co_return json_value_response(200, o);
}

Awaitable sync_tokens_revoke(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto id = id_param(req, "tokenId");
  if (!id) co_return error_from(id.error());
  auto n = co_await s.sync_tokens->revoke(*key, *id);
  if (!n) co_return error_from(n.error());
  log_revoked(req, *key, std::to_string(*id), *n);
  co_return no_content();
}

}  // namespace smimegw::http::admin
