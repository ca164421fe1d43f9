// http/sync: reading mail (Graph's message resource).
//   GET /v1.0/me/mailFolders/{inbox|sentitems}/messages/delta[?$skiptoken=T | ?$deltatoken=T]
//       Prefer: odata.maxpagesize=N → {"value":[...], "@odata.nextLink" | "@odata.deltaLink"};
//       removed messages as {"id", "@removed":{"reason":"deleted"}}; a bad, tampered, foreign or
//       expired token → 410 resyncRequired (start again without a token). Links are relative
//       references (path and query) on this listener.
//   GET /v1.0/me/messages/{id}[?$select=...,internetMessageHeaders]
//       Prefer: outlook.body-content-type="text" → text body (else HTML when there is one)
//   GET /v1.0/me/messages/{id}/$value → message/rfc822, unsealed for its owner
//   GET /v1.0/me/messages/{id}/attachments → {"value":[fileAttachment without contentBytes]}
//   GET /v1.0/me/messages/{id}/attachments/{aid} → fileAttachment with contentBytes (base64)
//   GET /v1.0/me/messages/{id}/attachments/{aid}/$value → the attachment's bytes
#include <botan/base64.h>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxTokenChars = 512;
constexpr std::size_t kMaxIdChars = 128;

bool has_select(const std::string& select, std::string_view field) {
  std::size_t pos = 0;
  while (pos <= select.size()) {
    auto comma = select.find(',', pos);
    auto part = select.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    auto b = part.find_first_not_of(' ');
    auto e = part.find_last_not_of(' ');
    if (b != std::string::npos && part.substr(b, e - b + 1) == field) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

core::Result<std::string> message_id(const Request& req) {
  auto id = param(req, "id");
  if (id.empty() || id.size() > kMaxIdChars)
    return core::Error::make("not_found", "no such message");
  return id;
}

Response bytes_response(std::string content_type, std::string bytes) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(bytes);
  return r;
}

}  // namespace

Awaitable messages_delta(Service& s, Request& req) {
  auto folder = param(req, "folder");
  for (auto& c : folder) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (folder != "inbox" && folder != "sentitems")
    co_return problem("not_found", "no such mail folder (inbox, sentitems)");
  auto q = parse_query(req.query);
  std::optional<std::string> token;
  if (auto it = q.find("$skiptoken"); it != q.end()) token = it->second;
  if (auto it = q.find("$deltatoken"); it != q.end()) token = it->second;
  if (token && (token->empty() || token->size() > kMaxTokenChars))
    co_return problem("resync_required", "the sync state is invalid; sync again without a token");
  auto page_size = max_page_size(req.header("prefer"));
  auto r = co_await s.delta(req.principal, folder, token, page_size);
  if (!r) co_return error_from(r.error());
  json::object o;
  // Absolute links, as Graph gives them (SDKs take nextLink/deltaLink as a whole URL): scheme from
  // the listener, authority from Host; relative when Host is unusable.
  const std::string origin = req.origin();
  o["@odata.context"] = origin + "/v1.0/$metadata#Collection(message)";
  o["value"] = std::move(r->value);
  const std::string base = origin + "/v1.0/me/mailFolders/" + folder + "/messages/delta?";
  if (r->more)
    o["@odata.nextLink"] = base + "$skiptoken=" + r->token;
  else
    o["@odata.deltaLink"] = base + "$deltatoken=" + r->token;
  auto resp = json_value_response(200, o);
  if (page_size)
    resp.headers.emplace_back("Preference-Applied",
                              "odata.maxpagesize=" + std::to_string(*page_size));
  co_return resp;
}

Awaitable message_get(Service& s, Request& req) {
  auto id = message_id(req);
  if (!id) co_return error_from(id.error());
  auto q = parse_query(req.query);
  bool headers = has_select(q["$select"], "internetMessageHeaders");
  bool text = req.header("prefer").find("outlook.body-content-type=\"text\"") != std::string::npos;
  auto r = co_await s.message(req.principal, *id, headers, text);
  if (!r) co_return error_from(r.error());
  co_return json_value_response(200, *r);
}

Awaitable message_value(Service& s, Request& req) {
  auto id = message_id(req);
  if (!id) co_return error_from(id.error());
  auto r = co_await s.mime(req.principal, *id);
  if (!r) co_return error_from(r.error());
  co_return bytes_response("message/rfc822", std::move(*r));
}

Awaitable attachments_list(Service& s, Request& req) {
  auto id = message_id(req);
  if (!id) co_return error_from(id.error());
  auto r = co_await s.attachments(req.principal, *id);
  if (!r) co_return error_from(r.error());
  json::object o;
  o["value"] = std::move(*r);
  co_return json_value_response(200, o);
}

Awaitable attachment_get(Service& s, Request& req) {
  auto id = message_id(req);
  if (!id) co_return error_from(id.error());
  auto aid = param(req, "aid");
  if (aid.empty() || aid.size() > kMaxIdChars) co_return problem("not_found", "no such attachment");
  auto r = co_await s.attachment(req.principal, *id, aid);
  if (!r) co_return error_from(r.error());
  auto o = std::move(r->info);
  o["contentBytes"] =
      Botan::base64_encode(reinterpret_cast<const std::uint8_t*>(r->bytes.data()), r->bytes.size());
  co_return json_value_response(200, o);
}

Awaitable attachment_value(Service& s, Request& req) {
  auto id = message_id(req);
  if (!id) co_return error_from(id.error());
  auto aid = param(req, "aid");
  if (aid.empty() || aid.size() > kMaxIdChars) co_return problem("not_found", "no such attachment");
  auto r = co_await s.attachment(req.principal, *id, aid);
  if (!r) co_return error_from(r.error());
  std::string ctype = "application/octet-stream";
  if (auto it = r->info.find("contentType"); it != r->info.end() && it->value().is_string())
    ctype = std::string(it->value().as_string());
  co_return bytes_response(ctype, std::move(r->bytes));
}

}  // namespace smimegw::http::sync
