// http/admin: /admin/v1/trust-anchors — the virtual certificate collection (as `smimegw trust`).
//   POST   body = a certificate file (PEM, DER, PKCS#7 .p7b/.p7c, SST); any content type.
//          200 {"format","added","items":[{origin,status,detail,subject,sha256,id,isRoot}]}, one
//          item per certificate in file order (statuses of trust/collection.hpp); a file that is
//          not a certificate container: 400 malformed / no_certificates.
//   GET    paginated list, ordered by id
//   POST   {id}/enable, {id}/disable → 200 the anchor;  DELETE {id} → 204
#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

Response import_answer(const ImportResult& r, const Request& req) {
  json::array items;
  std::int64_t added = 0;
  auto log = obs::logger("http");
  for (const auto& i : r.items) {
    items.push_back(to_json(i));
    if (i.status == "added") ++added;
    // Audit trail: a change of what the gateway trusts is always logged.
    obs::log(
        *log,
        i.status == "added" || i.status == "duplicate" ? spdlog::level::info : spdlog::level::warn,
        i.status == "added" ? "trust_anchor_added" : "trust_anchor_not_added",
        {{"rid", req.request_id},
         {"by", req.principal},
         {"status", i.status},
         {"id", i.id ? std::to_string(*i.id) : ""},
         {"sha256", i.sha256},
         {"subject", i.subject},
         {"origin", i.origin}});
  }
  json::object o;
  o["format"] = r.format;
  o["added"] = added;
  o["items"] = std::move(items);
  return json_value_response(200, o);
}

Response anchors_page(const std::vector<AnchorView>& list, const Page& page, const Request& req) {
  json::array items;
  for (const auto& a : list) items.push_back(to_json(a));
  return page_response(std::move(items), page, req);
}

void log_change(const Request& req, const char* event, std::int64_t id) {
  obs::log(*obs::logger("http"), spdlog::level::info, event,
           {{"rid", req.request_id}, {"by", req.principal}, {"id", std::to_string(id)}});
}

}  // namespace

Awaitable trust_import(Services& s, Request& req) {
  if (req.body.empty())
    co_return problem("validation_failed", "body: empty; send a certificate file");
  std::string by = "api:" + req.principal;  // named: no temporaries in co_await (g++ 12)
  auto r = co_await s.trust->import(req.body, by);
  if (!r) co_return error_from(r.error());
  co_return import_answer(*r, req);
}

Awaitable trust_list(Services& s, Request& req) {
  auto page = parse_page(req);
  if (!page) co_return error_from(page.error());
  auto list = co_await s.trust->list(*page);
  if (!list) co_return error_from(list.error());
  co_return anchors_page(*list, *page, req);
}

Awaitable trust_enable(Services& s, Request& req) {
  auto id = id_param(req, "id");
  if (!id) co_return error_from(id.error());
  auto a = co_await s.trust->set_enabled(*id, true);
  if (!a) co_return error_from(a.error());
  log_change(req, "trust_anchor_enabled", *id);
  co_return json_value_response(200, to_json(*a));
}

Awaitable trust_disable(Services& s, Request& req) {
  auto id = id_param(req, "id");
  if (!id) co_return error_from(id.error());
  auto a = co_await s.trust->set_enabled(*id, false);
  if (!a) co_return error_from(a.error());
  log_change(req, "trust_anchor_disabled", *id);
  co_return json_value_response(200, to_json(*a));
}

Awaitable trust_delete(Services& s, Request& req) {
  auto id = id_param(req, "id");
  if (!id) co_return error_from(id.error());
  auto st = co_await s.trust->remove(*id);
  if (!st) co_return error_from(st.error());
  log_change(req, "trust_anchor_removed", *id);
  co_return no_content();
}

}  // namespace smimegw::http::admin
