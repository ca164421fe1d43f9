// http/admin: /admin/v1/queue — the durable queue (as `smimegw queue`).
//   GET    paginated list, newest first; filters ?state=pending|delivered|failed (messages with a
//          recipient in that state) and ?from=ADDRESS (envelope sender)
//   GET    {id} → the message and its recipients;  POST {id}/retry → {"queueId","retried":N}
//   DELETE {id} → 204 (the message and its recipients leave the queue)
#include <boost/json/array.hpp>
#include <cctype>

#include "handlers.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

core::Result<QueueFilter> parse_filter(const Request& req) {
  auto page = parse_page(req);
  if (!page) return page.error();
  QueueFilter f;
  f.page = *page;
  auto q = parse_query(req.query);
  if (auto it = q.find("state"); it != q.end()) {
    if (it->second != "pending" && it->second != "delivered" && it->second != "failed")
      return core::Error::make("validation_failed", "state: must be pending, delivered or failed");
    f.state = it->second;
  }
  if (auto it = q.find("from"); it != q.end() && !it->second.empty()) {
    auto a = core::Address::parse(it->second);
    if (!a) return core::Error::make("validation_failed", "from: " + a.error().message);
    f.sender = a->key();
  }
  return f;
}

core::Result<std::string> queue_id(const Request& req) {
  auto it = req.params.find("id");
  const std::string id = it == req.params.end() ? "" : it->second;
  bool ok = !id.empty() && id.size() <= 128;
  for (unsigned char c : id) ok = ok && (std::isalnum(c) || c == '.' || c == '-' || c == '_');
  if (!ok) return core::Error::make("validation_failed", "id: not a queue id");
  return id;
}

Response queue_page(const std::vector<QueueItemView>& list, const Page& page, const Request& req) {
  json::array items;
  for (const auto& q : list) items.push_back(to_json(q));
  return page_response(std::move(items), page, req);
}

Response retried(const std::string& id, int n) {
  json::object o;
  o["queueId"] = id;
  o["retried"] = n;
  return json_value_response(200, o);
}

void log_change(const Request& req, const char* event, const std::string& id) {
  obs::log(*obs::logger("http"), spdlog::level::info, event,
           {{"rid", req.request_id}, {"by", req.principal}, {"queue_id", id}});
}

}  // namespace

Awaitable queue_list(Services& s, Request& req) {
  auto f = parse_filter(req);
  if (!f) co_return error_from(f.error());
  auto list = co_await s.queue->list(*f);
  if (!list) co_return error_from(list.error());
  co_return queue_page(*list, f->page, req);
}

Awaitable queue_get(Services& s, Request& req) {
  auto id = queue_id(req);
  if (!id) co_return error_from(id.error());
  auto item = co_await s.queue->get(*id);
  if (!item) co_return error_from(item.error());
  co_return json_value_response(200, to_json(*item));
}

Awaitable queue_retry(Services& s, Request& req) {
  auto id = queue_id(req);
  if (!id) co_return error_from(id.error());
  auto n = co_await s.queue->retry(*id);
  if (!n) co_return error_from(n.error());
  log_change(req, "queue_retry_requested", *id);
  co_return retried(*id, *n);
}

Awaitable queue_delete(Services& s, Request& req) {
  auto id = queue_id(req);
  if (!id) co_return error_from(id.error());
  auto st = co_await s.queue->remove(*id);
  if (!st) co_return error_from(st.error());
  log_change(req, "queue_message_deleted", *id);
  co_return no_content();
}

}  // namespace smimegw::http::admin
