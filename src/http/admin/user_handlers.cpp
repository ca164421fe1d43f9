// http/admin: /admin/v1/users — the directory's users (as `smimegw users`).
//   POST   {"address" (required), "displayName", "password", "proxyAddresses": [..]}
//          → 201 the user, Location: /admin/v1/users/{id}; 409 conflict if an address is taken
//   GET    paginated list ordered by address
//   GET    {id} → the user; {id} is the numeric id or an address (primary or proxy)
//   POST   {id}/enable, {id}/disable → the user (sets users.enabled, as `smimegw users disable`)
//   GET    {id}/certificates → {"value":[{id,thumbprint,usage,notBefore,notAfter,source,
//          hasPrivateKey,enabled}]}, newest first (never key material)
// The password is hashed by the service (Argon2id) and never returned or logged.
#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxProxies = 100;

core::Result<NewUser> parse_new_user(const std::string& body) {
  auto o = parse_json_object(body);
  if (!o) return o.error();
  for (const auto& kv : *o) {
    auto k = kv.key();
    if (k != "address" && k != "displayName" && k != "password" && k != "proxyAddresses")
      return core::Error::make("validation_failed",
                               std::string(k.data(), k.size()) + ": unknown field");
  }
  NewUser u;
  auto address = string_field(*o, "address", true, 254);
  if (!address) return address.error();
  auto a = core::Address::parse(**address);
  if (!a) return core::Error::make("validation_failed", "address: " + a.error().message);
  u.address = a->key();
  auto name = string_field(*o, "displayName", false, 256);
  if (!name) return name.error();
  u.display_name = name->value_or("");
  auto password = string_field(*o, "password", false, 1024);
  if (!password) return password.error();
  u.password = password->value_or("");
  if (auto it = o->find("proxyAddresses"); it != o->end() && !it->value().is_null()) {
    if (!it->value().is_array())
      return core::Error::make("validation_failed", "proxyAddresses: must be an array of strings");
    const auto& arr = it->value().as_array();
    if (arr.size() > kMaxProxies)
      return core::Error::make("validation_failed", "proxyAddresses: more than " +
                                                        std::to_string(kMaxProxies) + " entries");
    for (std::size_t i = 0; i < arr.size(); ++i) {
      std::string field = "proxyAddresses[" + std::to_string(i) + "]";
      if (!arr[i].is_string())
        return core::Error::make("validation_failed", field + ": must be a string");
      const auto& js = arr[i].as_string();
      auto p = core::Address::parse(std::string_view(js.data(), js.size()));
      if (!p) return core::Error::make("validation_failed", field + ": " + p.error().message);
      u.proxy_addresses.push_back(p->key());
    }
  }
  return u;
}

Response users_page(const std::vector<UserView>& list, const Page& page, const Request& req) {
  json::array items;
  for (const auto& u : list) items.push_back(to_json(u));
  return page_response(std::move(items), page, req);
}

Response certificates_answer(const std::vector<UserCertificateView>& list) {
  json::array items;
  for (const auto& c : list) items.push_back(to_json(c));
  json::object o;
  o["value"] = std::move(items);
  return json_value_response(200, o);
}

void log_enabled(const Request& req, const UserView& u) {
  obs::log(*obs::logger("http"), spdlog::level::info, u.enabled ? "user_enabled" : "user_disabled",
           {{"rid", req.request_id},
            {"by", req.principal},
            {"id", std::to_string(u.id)},
            {"address", u.address}});
}

Response created(const UserView& u) {
  auto resp = json_value_response(201, to_json(u));
  resp.headers.emplace_back("Location", "/admin/v1/users/" + std::to_string(u.id));
  return resp;
}

}  // namespace

core::Result<std::string> user_key(const Request& req) {
  auto it = req.params.find("id");
  std::string key = it == req.params.end() ? "" : it->second;
  if (key.empty() || key.size() > 254)
    return core::Error::make("validation_failed", "id: a user id or address");
  return key;
}

Awaitable users_create(Services& s, Request& req) {
  auto u = parse_new_user(req.body);
  if (!u) co_return error_from(u.error());
  auto r = co_await s.users->create(*u);
  if (!r) co_return error_from(r.error());
  obs::log(*obs::logger("http"), spdlog::level::info, "user_created",
           {{"rid", req.request_id},
            {"by", req.principal},
            {"id", std::to_string(r->id)},
            {"address", r->address}});
  co_return created(*r);
}

Awaitable users_get(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto r = co_await s.users->get(*key);
  if (!r) co_return error_from(r.error());
  co_return json_value_response(200, to_json(*r));
}

Awaitable users_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto list = co_await s.users->list(*page);
  if (!list) co_return error_from(list.error());
  co_return users_page(*list, *page, req);
}

Awaitable users_enable(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto r = co_await s.users->set_enabled(*key, true);
  if (!r) co_return error_from(r.error());
  log_enabled(req, *r);
  co_return json_value_response(200, to_json(*r));
}

Awaitable users_disable(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto r = co_await s.users->set_enabled(*key, false);
  if (!r) co_return error_from(r.error());
  log_enabled(req, *r);
  co_return json_value_response(200, to_json(*r));
}

Awaitable users_certificates(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto r = co_await s.users->certificates(*key);
  if (!r) co_return error_from(r.error());
  co_return certificates_answer(*r);
}

}  // namespace smimegw::http::admin
