// http/admin: the sensitivity-label catalog (as `smimegw labels`; shapes of docs/labels.md, the
// catalog file's snake_case field names, as JSON).
//   GET    labels (paginated, by priority descending), labels/{id} (GUID or name)
//   POST   labels: one label → 201;  PATCH labels/{id}: merge-patch of its fields → 200
//   DELETE labels/{id} → 204; 409 conflict while a policy publishes it
//   PUT    labels: the whole catalog {"labels":[...],"policies":[...]} replaces the stored one in
//          one transaction (what `smimegw labels import` does) → {"labels":N,"policies":M}
//   GET    label-policies (paginated), label-policies/{id} (the policy's name)
//   POST   label-policies: one policy (labels named by name or GUID) → 201
//   DELETE label-policies/{id} → 204
// Every validation error names its field ("priority: ...", "labels[1].scope.domains[0]: ...").
// Every answer carries the catalog version as ETag "catalog-N"; every write honours If-Match
// (412 precondition_failed when the catalog moved on since the client read it).
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

constexpr std::string_view kCatalogTag = "catalog-";

void log_change(const Request& req, const char* event, const std::string& what) {
  obs::log(*obs::logger("http"), spdlog::level::info, event,
           {{"rid", req.request_id}, {"by", req.principal}, {"what", what}});
}

std::string name_of(const json::object& o) {
  auto it = o.find("name");
  if (it == o.end() || !it->value().is_string()) return "";
  return std::string(it->value().as_string());
}

}  // namespace

Awaitable labels_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto all = co_await s.labels->list();
  if (!all) co_return error_from(all.error());
  co_return tagged(kCatalogTag, page_of(all->value, *page, req), all->version);
}

Awaitable labels_create(Services& s, Request& req) {
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto l = co_await s.labels->create(std::move(*o), std::move(*pre));
  if (!l) co_return error_from(l.error());
  log_change(req, "label_created", name_of(l->value));
  auto resp = tagged(kCatalogTag, json_value_response(201, l->value), l->version);
  if (auto it = l->value.find("id"); it != l->value.end() && it->value().is_string())
    resp.headers.emplace_back("Location",
                              "/admin/v1/labels/" + std::string(it->value().as_string()));
  co_return resp;
}

Awaitable labels_replace(Services& s, Request& req) {
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto r = co_await s.labels->replace(std::move(*o), std::move(*pre));
  if (!r) co_return error_from(r.error());
  log_change(req, "label_catalog_replaced", json::serialize(r->value));
  co_return tagged(kCatalogTag, json_value_response(200, r->value), r->version);
}

Awaitable labels_get(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto l = co_await s.labels->get(*id);
  if (!l) co_return error_from(l.error());
  co_return tagged(kCatalogTag, json_value_response(200, l->value), l->version);
}

Awaitable labels_patch(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto l = co_await s.labels->patch(*id, std::move(*o), std::move(*pre));
  if (!l) co_return error_from(l.error());
  log_change(req, "label_changed", name_of(l->value));
  co_return tagged(kCatalogTag, json_value_response(200, l->value), l->version);
}

Awaitable labels_delete(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto version = co_await s.labels->remove(*id, std::move(*pre));
  if (!version) co_return error_from(version.error());
  log_change(req, "label_deleted", *id);
  co_return tagged(kCatalogTag, no_content(), *version);
}

Awaitable label_policies_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto all = co_await s.labels->policies();
  if (!all) co_return error_from(all.error());
  co_return tagged(kCatalogTag, page_of(all->value, *page, req), all->version);
}

Awaitable label_policies_create(Services& s, Request& req) {
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto p = co_await s.labels->create_policy(std::move(*o), std::move(*pre));
  if (!p) co_return error_from(p.error());
  log_change(req, "label_policy_created", name_of(p->value));
  co_return tagged(kCatalogTag, json_value_response(201, p->value), p->version);
}

Awaitable label_policies_get(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto p = co_await s.labels->policy(*id);
  if (!p) co_return error_from(p.error());
  co_return tagged(kCatalogTag, json_value_response(200, p->value), p->version);
}

Awaitable label_policies_delete(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req, kCatalogTag);
  if (!pre) co_return error_from(pre.error());
  auto version = co_await s.labels->remove_policy(*id, std::move(*pre));
  if (!version) co_return error_from(version.error());
  log_change(req, "label_policy_deleted", *id);
  co_return tagged(kCatalogTag, no_content(), *version);
}

}  // namespace smimegw::http::admin
