// http/admin: S/MIME settings and operations views.
//   GET    smime-config → every setting by camelCase name plus "version"
//   PATCH  smime-config {"alwaysSign": true, ...} → the settings; all or nothing: an unknown key
//          or a bad value is 400 validation_failed naming the field, and nothing changes
//   GET    messages/{id}/trace → {"value":[{at, stage, event, recipient, detail}]} (as `smimegw
//          trace ID --json`); 404 when nothing is recorded for the queue id
//   GET    certificates/expiring?days=30 (1..3650) → paginated user certificates expiring
//          within the window, soonest first
//   GET    crls → paginated [{url, issuer, thisUpdate, nextUpdate, fetchedAt, lastResult,
//          lastAttemptAt}];  POST crls/refresh → {"value":[{url, ok, error, nextUpdate}]}
#include <boost/json/array.hpp>
#include <cctype>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

constexpr std::string_view kSettingsTag = "settings-";

/// The settings with their version as ETag "settings-N".
Response settings_response(const json::object& c) {
  auto resp = json_value_response(200, c);
  if (auto it = c.find("version"); it != c.end() && it->value().is_int64())
    resp = tagged(kSettingsTag, std::move(resp), it->value().as_int64());
  return resp;
}

core::Result<int> days_param(const Request& req) {
  auto q = parse_query(req.query);
  auto it = q.find("days");
  if (it == q.end()) return 30;
  const auto& v = it->second;
  bool digits = !v.empty() && v.size() <= 5;
  for (unsigned char c : v) digits = digits && std::isdigit(c);
  int n = digits ? std::stoi(v) : 0;
  if (n < 1 || n > 3650)
    return core::Error::make("validation_failed", "days: must be an integer 1..3650");
  return n;
}

}  // namespace

Awaitable smime_config_get(Services& s, Request&) {
  auto c = co_await s.smime_config->get();
  if (!c) co_return error_from(c.error());
  co_return settings_response(*c);
}

Awaitable smime_config_patch(Services& s, Request& req) {
  auto pre = if_match(req, kSettingsTag);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  std::string actor = actor_of(req);
  auto c = co_await s.smime_config->patch(std::move(*o), actor, std::move(*pre));
  if (!c) co_return error_from(c.error());
  co_return settings_response(*c);
}

Awaitable message_trace(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto t = co_await s.operations->trace(*id);
  if (!t) co_return error_from(t.error());
  co_return value_response(std::move(*t));
}

Awaitable certificates_expiring(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto days = days_param(req);
  if (!days) co_return error_from(days.error());
  auto list = co_await s.operations->expiring(*days, *page);
  if (!list) co_return error_from(list.error());
  json::array items;
  for (const auto& c : *list) items.push_back(to_json(c));
  co_return page_response(std::move(items), *page, req);
}

Awaitable crls_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto list = co_await s.operations->crls();
  if (!list) co_return error_from(list.error());
  json::array items;
  for (const auto& c : *list) items.push_back(to_json(c));
  co_return page_of(items, *page, req);
}

Awaitable crls_refresh(Services& s, Request& req) {
  auto list = co_await s.operations->refresh_crls();
  if (!list) co_return error_from(list.error());
  json::array items;
  for (const auto& c : *list) {
    items.push_back(to_json(c));
    obs::log(*obs::logger("http"), c.ok ? spdlog::level::info : spdlog::level::warn,
             "crl_refresh_requested",
             {{"rid", req.request_id},
              {"by", req.principal},
              {"url", c.url},
              {"ok", c.ok ? "yes" : "no"}});
  }
  co_return value_response(std::move(items));
}

}  // namespace smimegw::http::admin
