// http/admin: JSON shapes of the directory and operations routes (docs/openapi.yaml) and the
// small helpers the handlers share.
#include <boost/json/array.hpp>
#include <charconv>

#include "handlers.hpp"
#include "smimegw/core/time_format.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

json::value time_or_null(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return json::value(core::iso8601_utc(*t));
}

}  // namespace

std::string etag(std::string_view prefix, std::int64_t version) {
  return "\"" + std::string(prefix) + std::to_string(version) + "\"";
}

Response tagged(std::string_view prefix, Response r, std::int64_t version) {
  r.headers.emplace_back("ETag", etag(prefix, version));
  return r;
}

core::Result<IfMatch> if_match(const Request& req, std::string_view prefix) {
  auto it = req.headers.find("if-match");
  if (it == req.headers.end()) return IfMatch{};
  auto bad = [prefix] {
    return core::Error::make(
        "bad_request", "If-Match: expected * or a list of entity tags such as " + etag(prefix, 12));
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

core::Result<std::string> text_param(const Request& req, const std::string& name, std::size_t max) {
  auto it = req.params.find(name);
  std::string v = it == req.params.end() ? "" : it->second;
  if (v.empty() || v.size() > max)
    return core::Error::make("validation_failed",
                             name + ": required, at most " + std::to_string(max) + " bytes");
  return v;
}

Response value_response(json::array items) {
  json::object o;
  o["value"] = std::move(items);
  return json_value_response(200, o);
}

Response page_of(const json::array& all, const Page& page, const Request& req) {
  json::array items;
  for (std::size_t i = static_cast<std::size_t>(page.skip);
       i < all.size() && items.size() <= static_cast<std::size_t>(page.top); ++i)
    items.push_back(all[i]);
  return page_response(std::move(items), page, req);
}

std::string actor_of(const Request& req) {
  return "admin:" + req.principal;
}

json::object to_json(const GroupView& g) {
  json::object o;
  o["id"] = g.id;
  o["address"] = g.address;
  o["displayName"] = g.display_name;
  o["memberCount"] = g.member_count;
  return o;
}

json::object to_json(const GroupDetail& g) {
  auto o = to_json(g.group);
  json::array members;
  for (const auto& m : g.members) {
    json::object mo;
    mo["kind"] = m.kind;
    mo["address"] = m.address;
    if (m.id)
      mo["id"] = m.id;
    else
      mo["id"] = nullptr;
    mo["enabled"] = m.enabled;
    members.push_back(std::move(mo));
  }
  o["members"] = std::move(members);
  return o;
}

json::object to_json(const SyncTokenView& t) {
  json::object o;
  o["id"] = t.id;
  o["createdAt"] = core::iso8601_utc(t.created_at);
  o["expiresAt"] = time_or_null(t.expires_at);
  o["lastUsedAt"] = time_or_null(t.last_used_at);
  return o;
}

json::object to_json(const ExpiringCertificate& c) {
  json::object o;
  o["id"] = c.id;
  o["userId"] = c.user_id;
  o["address"] = c.address;
  o["thumbprint"] = c.thumbprint;
  o["usage"] = c.usage;
  o["source"] = c.source;
  o["hasPrivateKey"] = c.has_private_key;
  o["notAfter"] = core::iso8601_utc(c.not_after);
  return o;
}

json::object to_json(const CrlView& c) {
  json::object o;
  o["url"] = c.url;
  o["issuer"] = c.issuer;
  o["thisUpdate"] = core::iso8601_utc(c.this_update);
  o["nextUpdate"] = time_or_null(c.next_update);
  o["fetchedAt"] = core::iso8601_utc(c.fetched_at);
  if (c.last_result)
    o["lastResult"] = *c.last_result;
  else
    o["lastResult"] = nullptr;
  o["lastAttemptAt"] = time_or_null(c.last_attempt);
  return o;
}

json::object to_json(const CrlRefreshView& c) {
  json::object o;
  o["url"] = c.url;
  o["ok"] = c.ok;
  o["error"] = c.error;
  o["nextUpdate"] = time_or_null(c.next_update);
  return o;
}

}  // namespace smimegw::http::admin
