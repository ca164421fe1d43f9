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
#include <charconv>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

void log_change(const Request& req, const char* event, const std::string& what) {
  obs::log(*obs::logger("http"), spdlog::level::info, event,
           {{"rid", req.request_id}, {"by", req.principal}, {"what", what}});
}

std::string etag(std::int64_t version) {
  return "\"catalog-" + std::to_string(version) + "\"";
}

Response tagged(Response r, std::int64_t version) {
  r.headers.emplace_back("ETag", etag(version));
  return r;
}

/// If-Match (RFC 9110 §13.1.1): "*", or a list of entity tags of which only our strong
/// "catalog-N" can match (a weak tag never does; another tag matches no version).
core::Result<IfMatch> if_match(const Request& req) {
  auto it = req.headers.find("if-match");
  if (it == req.headers.end()) return IfMatch{};
  auto bad = [] {
    return core::Error::make("bad_request",
                             "If-Match: expected * or a list of entity tags such as "
                             "\"catalog-12\"");
  };
  std::string_view v = it->second;
  auto skip = [&v] {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == ','))
      v.remove_prefix(1);
  };
  skip();
  if (v == "*") return IfMatch{};
  IfMatch m{.any = false};
  bool any_tag = false;
  while (skip(), !v.empty()) {
    const bool weak = v.substr(0, 2) == "W/";
    if (weak) v.remove_prefix(2);
    if (v.empty() || v.front() != '"') return bad();
    auto close = v.find('"', 1);
    if (close == std::string_view::npos) return bad();
    auto tag = v.substr(1, close - 1);
    v.remove_prefix(close + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    if (!v.empty() && v.front() != ',') return bad();  // list members are comma-separated
    any_tag = true;
    constexpr std::string_view prefix = "catalog-";
    if (weak || tag.substr(0, prefix.size()) != prefix) continue;
    auto digits = tag.substr(prefix.size());
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && end == digits.data() + digits.size() && !digits.empty())
      m.versions.push_back(n);
  }
  if (!any_tag) return bad();
  return m;
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
  co_return tagged(page_of(all->value, *page, req), all->version);
}

Awaitable labels_create(Services& s, Request& req) {
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto l = co_await s.labels->create(std::move(*o), std::move(*pre));
  if (!l) co_return error_from(l.error());
  log_change(req, "label_created", name_of(l->value));
  auto resp = tagged(json_value_response(201, l->value), l->version);
  if (auto it = l->value.find("id"); it != l->value.end() && it->value().is_string())
    resp.headers.emplace_back("Location",
                              "/admin/v1/labels/" + std::string(it->value().as_string()));
  co_return resp;
}

Awaitable labels_replace(Services& s, Request& req) {
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto r = co_await s.labels->replace(std::move(*o), std::move(*pre));
  if (!r) co_return error_from(r.error());
  log_change(req, "label_catalog_replaced", json::serialize(r->value));
  co_return tagged(json_value_response(200, r->value), r->version);
}

Awaitable labels_get(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto l = co_await s.labels->get(*id);
  if (!l) co_return error_from(l.error());
  co_return tagged(json_value_response(200, l->value), l->version);
}

Awaitable labels_patch(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto l = co_await s.labels->patch(*id, std::move(*o), std::move(*pre));
  if (!l) co_return error_from(l.error());
  log_change(req, "label_changed", name_of(l->value));
  co_return tagged(json_value_response(200, l->value), l->version);
}

Awaitable labels_delete(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto version = co_await s.labels->remove(*id, std::move(*pre));
  if (!version) co_return error_from(version.error());
  log_change(req, "label_deleted", *id);
  co_return tagged(no_content(), *version);
}

Awaitable label_policies_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto all = co_await s.labels->policies();
  if (!all) co_return error_from(all.error());
  co_return tagged(page_of(all->value, *page, req), all->version);
}

Awaitable label_policies_create(Services& s, Request& req) {
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto p = co_await s.labels->create_policy(std::move(*o), std::move(*pre));
  if (!p) co_return error_from(p.error());
  log_change(req, "label_policy_created", name_of(p->value));
  co_return tagged(json_value_response(201, p->value), p->version);
}

Awaitable label_policies_get(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto p = co_await s.labels->policy(*id);
  if (!p) co_return error_from(p.error());
  co_return tagged(json_value_response(200, p->value), p->version);
}

Awaitable label_policies_delete(Services& s, Request& req) {
  auto id = text_param(req, "id", 128);
  if (!id) co_return error_from(id.error());
  auto pre = if_match(req);
  if (!pre) co_return error_from(pre.error());
  auto version = co_await s.labels->remove_policy(*id, std::move(*pre));
  if (!version) co_return error_from(version.error());
  log_change(req, "label_policy_deleted", *id);
  co_return tagged(no_content(), *version);
}

}  // namespace smimegw::http::admin
