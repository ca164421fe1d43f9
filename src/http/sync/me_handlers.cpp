// http/sync: the caller's own settings, sending, certificates and recipient resolution.
//   GET   /v1.0/me/settings → {smimeEnabled, signAll, encryptAll, signAllChangeAllowed,
//         encryptAllChangeAllowed}
//   PATCH /v1.0/me/settings {smimeEnabled?, signAll?, encryptAll?} (null: organisation default)
//         → the settings; 403 changeNotAllowed when the organisation locks a field
//   POST  /v1.0/me/sendMail
//         application/json {"message":{Graph message}, "saveToSentItems"?, "sensitivityLabelId"?,
//                           "sign"?, "encrypt"?}
//         text/plain: base64 of a complete MIME message; ?sensitivityLabelId=&sign=&encrypt=
//         → 202 once the gateway committed it; 422 policyRefused {"error":{…,"recipients":
//           [{"address","reason"}]}}; 403 send_as_denied / smimeDisabled
//   GET   /v1.0/me/certificates → {"value":[{id, thumbprint, usage, notBefore, notAfter, source,
//         hasPrivateKey, enabled, status}]}; DELETE /v1.0/me/certificates/{id} → 204
#include <botan/base64.h>

#include <chrono>

#include "compose.hpp"
#include "handlers.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

core::Result<std::optional<bool>> flag(const std::map<std::string, std::string>& q,
                                       const std::string& name) {
  auto it = q.find(name);
  if (it == q.end()) return std::optional<bool>();
  auto v = lower(it->second);
  if (v == "true" || v == "yes" || v == "1") return std::optional<bool>(true);
  if (v == "false" || v == "no" || v == "0") return std::optional<bool>(false);
  return core::Error::make("validation_failed", name + ": must be true or false");
}

bool is_guid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

core::Result<SendRequest> parse_json_send(const Request& req) {
  auto o = parse_json_object(req.body);
  if (!o) return o.error();
  for (const auto& kv : *o) {
    auto k = kv.key();
    if (k != "message" && k != "saveToSentItems" && k != "sensitivityLabelId" && k != "sign" &&
        k != "encrypt")
      return core::Error::make("validation_failed",
                               std::string(k.data(), k.size()) + ": unknown field");
  }
  auto m = o->find("message");
  if (m == o->end() || !m->value().is_object())
    return core::Error::make("validation_failed", "message: required, an object");
  SendRequest r;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto unique = generate_token().substr(5, 24);
  for (auto& c : unique)
    if (c == '-' || c == '_') c = 'x';
  auto composed = compose(m->value().as_object(), req.principal, now, unique);
  if (!composed) return composed.error();
  r.mime = std::move(composed->mime);
  r.rcpts = std::move(composed->rcpts);
  auto save = bool_field(*o, "saveToSentItems");
  if (!save) return save.error();
  r.save_to_sent = save->value_or(true);
  auto label = string_field(*o, "sensitivityLabelId", false, 64);
  if (!label) return label.error();
  r.label_id = lower(label->value_or(""));
  auto sign = bool_field(*o, "sign");
  if (!sign) return sign.error();
  r.sign = *sign;
  auto encrypt = bool_field(*o, "encrypt");
  if (!encrypt) return encrypt.error();
  r.encrypt = *encrypt;
  return r;
}

core::Result<SendRequest> parse_mime_send(const Request& req) {
  SendRequest r;
  try {
    auto v = Botan::base64_decode(req.body);
    r.mime.assign(v.begin(), v.end());
  } catch (const std::exception&) {
    return core::Error::make("validation_failed", "body: must be a base64-encoded MIME message");
  }
  if (r.mime.empty()) return core::Error::make("validation_failed", "body: empty message");
  auto q = parse_query(req.query);
  r.label_id = lower(q["sensitivityLabelId"]);
  auto sign = flag(q, "sign");
  if (!sign) return sign.error();
  r.sign = *sign;
  auto encrypt = flag(q, "encrypt");
  if (!encrypt) return encrypt.error();
  r.encrypt = *encrypt;
  auto save = flag(q, "saveToSentItems");
  if (!save) return save.error();
  r.save_to_sent = save->value_or(true);
  return r;
}

}  // namespace

Response refused_response(const core::Error& e) {
  json::array list;
  std::size_t pos = 0;
  const auto& m = e.message;
  while (pos < m.size()) {
    auto nl = m.find('\n', pos);
    auto line = m.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? m.size() : nl + 1;
    if (line.empty()) continue;
    auto colon = line.find(": ");
    json::object r;
    if (colon == std::string::npos) {
      r["address"] = "";
      r["reason"] = line;
    } else {
      r["address"] = line.substr(0, colon);
      r["reason"] = line.substr(colon + 2);
    }
    list.push_back(std::move(r));
  }
  json::object err;
  err["code"] = "policyRefused";
  err["message"] = "the message was refused by policy for one or more recipients";
  err["recipients"] = std::move(list);
  json::object o;
  o["error"] = std::move(err);
  return json_value_response(422, o);
}

Awaitable settings_get(Service& s, Request& req) {
  auto r = co_await s.settings(req.principal);
  if (!r) co_return error_from(r.error());
  co_return json_value_response(200, *r);
}

Awaitable settings_patch(Service& s, Request& req) {
  auto o = parse_json_object(req.body);
  if (!o) co_return error_from(o.error());
  auto r = co_await s.patch_settings(req.principal, std::move(*o));
  if (!r) co_return error_from(r.error());
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_settings_changed",
           {{"rid", req.request_id}, {"user", req.principal}});
  co_return json_value_response(200, *r);
}

Awaitable send_mail(Service& s, Request& req) {
  auto ctype = lower(req.header("content-type"));
  core::Result<SendRequest> parsed =
      core::Error::make("unsupported_media_type", "use application/json or text/plain");
  if (ctype.rfind("application/json", 0) == 0)
    parsed = parse_json_send(req);
  else if (ctype.rfind("text/plain", 0) == 0)
    parsed = parse_mime_send(req);
  if (!parsed) co_return error_from(parsed.error());
  if (!parsed->label_id.empty() && !is_guid(parsed->label_id))
    co_return problem("validation_failed", "sensitivityLabelId: must be a label GUID");
  auto st = co_await s.send(req.principal, std::move(*parsed));
  if (!st) {
    if (st.error().code == "policy_refused") co_return refused_response(st.error());
    co_return error_from(st.error());
  }
  Response r;
  r.status = 202;
  co_return r;
}

Awaitable certificates_list(Service& s, Request& req) {
  auto r = co_await s.certificates(req.principal);
  if (!r) co_return error_from(r.error());
  json::object o;
  o["value"] = std::move(*r);
  co_return json_value_response(200, o);
}

Awaitable certificates_delete(Service& s, Request& req) {
  auto id = param(req, "id");
  if (id.empty() || id.size() > 64) co_return problem("not_found", "no such certificate");
  auto st = co_await s.remove_certificate(req.principal, id);
  if (!st) co_return error_from(st.error());
  Response r;
  r.status = 204;
  co_return r;
}

}  // namespace smimegw::http::sync
