// http/admin: /admin/v1/groups — distribution groups (as `smimegw groups`).
//   GET    paginated list by address: {id, address, displayName, memberCount}
//   POST   {"address" (required), "name"} → 201 the group (Location); 409 if the address is taken
//   GET    {id} → the group with its direct members; {id} is the numeric id or the address
//   DELETE {id} → 204 (its memberships go too)
//   POST   {id}/members {"add":[addresses], "remove":[addresses]} → the group; a member is a user
//          (any of its addresses), a group or an external address; removing a non-member is
//          400 not_a_member, adding the group to itself 400 bad_member; nothing changes on error
//   GET    {id}/expand → {group, complete, members:[{address,kind,enabled,path}],
//          problems:[{code,message,path}]} as `smimegw groups expand --json`
#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxChanges = 1000;

core::Result<std::vector<std::string>> address_list(const json::object& o, const char* name) {
  std::vector<std::string> out;
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return out;
  if (!it->value().is_array())
    return core::Error::make("validation_failed",
                             std::string(name) + ": must be an array of addresses");
  const auto& arr = it->value().as_array();
  if (arr.size() > kMaxChanges)
    return core::Error::make("validation_failed", std::string(name) + ": more than " +
                                                      std::to_string(kMaxChanges) + " entries");
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::string field = std::string(name) + "[" + std::to_string(i) + "]";
    if (!arr[i].is_string())
      return core::Error::make("validation_failed", field + ": must be a string");
    const auto& js = arr[i].as_string();
    auto a = core::Address::parse(std::string_view(js.data(), js.size()));
    if (!a) return core::Error::make("validation_failed", field + ": " + a.error().message);
    out.push_back(a->key());
  }
  return out;
}

core::Status only_fields(const json::object& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& kv : o) {
    bool ok = false;
    for (auto a : allowed) ok = ok || kv.key() == a;
    if (!ok)
      return core::Error::make("validation_failed",
                               std::string(kv.key().data(), kv.key().size()) + ": unknown field");
  }
  return {};
}

void log_change(const Request& req, const char* event, const std::string& group) {
  obs::log(*obs::logger("http"), spdlog::level::info, event,
           {{"rid", req.request_id}, {"by", req.principal}, {"group", group}});
}

}  // namespace

Awaitable groups_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto list = co_await s.groups->list(*page);
  if (!list) co_return error_from(list.error());
  json::array items;
  for (const auto& g : *list) items.push_back(to_json(g));
  co_return page_response(std::move(items), *page, req);
}

Awaitable groups_create(Services& s, Request& req) {
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  if (auto st = only_fields(*o, {"address", "name"}); !st) co_return error_from(st.error());
  auto address = string_field(*o, "address", true, 254);
  if (!address) co_return error_from(address.error());
  auto a = core::Address::parse(**address);
  if (!a) co_return problem("validation_failed", "address: " + a.error().message);
  auto name = string_field(*o, "name", false, 256);
  if (!name) co_return error_from(name.error());
  std::string key = a->key();
  std::string display = name->value_or("");
  auto g = co_await s.groups->create(key, display);
  if (!g) co_return error_from(g.error());
  log_change(req, "group_created", g->group.address);
  auto resp = json_value_response(201, to_json(*g));
  resp.headers.emplace_back("Location", "/admin/v1/groups/" + std::to_string(g->group.id));
  co_return resp;
}

Awaitable groups_get(Services& s, Request& req) {
  auto key = text_param(req, "id");
  if (!key) co_return error_from(key.error());
  auto g = co_await s.groups->get(*key);
  if (!g) co_return error_from(g.error());
  co_return json_value_response(200, to_json(*g));
}

Awaitable groups_delete(Services& s, Request& req) {
  auto key = text_param(req, "id");
  if (!key) co_return error_from(key.error());
  auto st = co_await s.groups->remove(*key);
  if (!st) co_return error_from(st.error());
  log_change(req, "group_deleted", *key);
  co_return no_content();
}

Awaitable groups_members(Services& s, Request& req) {
  auto key = text_param(req, "id");
  if (!key) co_return error_from(key.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  if (auto st = only_fields(*o, {"add", "remove"}); !st) co_return error_from(st.error());
  auto add = address_list(*o, "add");
  if (!add) co_return error_from(add.error());
  auto remove = address_list(*o, "remove");
  if (!remove) co_return error_from(remove.error());
  if (add->empty() && remove->empty())
    co_return problem("validation_failed", "add: give add and/or remove");
  auto g = co_await s.groups->change_members(*key, std::move(*add), std::move(*remove));
  if (!g) co_return error_from(g.error());
  log_change(req, "group_members_changed", g->group.address);
  co_return json_value_response(200, to_json(*g));
}

Awaitable groups_expand(Services& s, Request& req) {
  auto key = text_param(req, "id");
  if (!key) co_return error_from(key.error());
  auto e = co_await s.groups->expand(*key);
  if (!e) co_return error_from(e.error());
  co_return json_value_response(200, *e);
}

}  // namespace smimegw::http::admin
