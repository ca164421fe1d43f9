// http/sync: installing certificates (issue 8 item 3, the phone's manual delivery).
//   POST /v1.0/me/certificates {"pkcs12": "<base64>", "password": "..."}
//        → 201 {"value": [installed certificates]} through the directory's import service
//   POST /v1.0/me/messages/{id}/attachments/{aid}/installCertificate {"password"?: "..."}
//        → 201 {"value": [...]}: the attachment is a PKCS#12 (application/x-pkcs12, .p12/.pfx)
//          of a message the caller mailed to themselves (400 notPkcs12, 403 notOwnMessage)
//   POST /v1.0/me/messages/{id}/installSenderCertificate {"trust"?: false}
//        → 201 {certificate}: the signer's certificate of a signed message becomes a contact
//          certificate (400 notSigned, 422 invalidCertificate / untrustedCertificate; `trust`
//          accepts an unknown CA only where sync.allow_user_trusted_certificates, else 403
//          userTrustNotAllowed)
// Import errors (codes shared with the admin API): 400 wrong_password, mac_mismatch, malformed,
// limit_exceeded, unsupported_algorithm (re-export with AES), address_mismatch, no_smime_usage,
// key_mismatch, no_keys; 422 untrustedCertificate; 409 conflict (already installed). Passwords and
// PKCS#12 bytes are never logged. A missing password is the empty password (OpenSSL's -passout
// pass:).
#include <botan/base64.h>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxPkcs12Base64 = 4 * 1024 * 1024;
constexpr std::size_t kMaxPassword = 1024;

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

Response installed(json::array value) {
  json::object o;
  o["value"] = std::move(value);
  return json_value_response(201, o);
}

core::Result<json::object> body_object(const Request& req) {
  return parse_json_object(req.body.empty() ? std::string("{}") : req.body);
}

}  // namespace

Awaitable certificates_import(Service& s, Request& req) {
  auto o = body_object(req);
  if (!o) co_return error_from(o.error());
  if (auto st = only_fields(*o, {"pkcs12", "password"}); !st) co_return error_from(st.error());
  auto b64 = string_field(*o, "pkcs12", true, kMaxPkcs12Base64);
  if (!b64) co_return error_from(b64.error());
  auto password = string_field(*o, "password", false, kMaxPassword);
  if (!password) co_return error_from(password.error());
  std::string pfx;
  try {
    auto v = Botan::base64_decode(**b64);
    pfx.assign(v.begin(), v.end());
  } catch (const std::exception&) {
    co_return problem("validation_failed", "pkcs12: must be base64 (a PKCS#12 file)");
  }
  if (pfx.empty()) co_return problem("validation_failed", "pkcs12: empty");
  auto r = co_await s.import_pkcs12(req.principal, std::move(pfx), password->value_or(""));
  if (!r) co_return error_from(r.error());
  obs::log(
      *obs::logger("http"), spdlog::level::info, "sync_certificates_imported",
      {{"rid", req.request_id}, {"user", req.principal}, {"count", std::to_string(r->size())}});
  co_return installed(std::move(*r));
}

Awaitable attachment_install(Service& s, Request& req) {
  auto id = param(req, "id");
  auto aid = param(req, "aid");
  if (id.empty() || id.size() > 128 || aid.empty() || aid.size() > 128)
    co_return problem("not_found", "no such attachment");
  auto o = body_object(req);
  if (!o) co_return error_from(o.error());
  if (auto st = only_fields(*o, {"password"}); !st) co_return error_from(st.error());
  auto password = string_field(*o, "password", false, kMaxPassword);
  if (!password) co_return error_from(password.error());
  auto r = co_await s.install_attachment(req.principal, id, aid, password->value_or(""));
  if (!r) co_return error_from(r.error());
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_certificates_imported",
           {{"rid", req.request_id},
            {"user", req.principal},
            {"from", "attachment"},
            {"count", std::to_string(r->size())}});
  co_return installed(std::move(*r));
}

Awaitable sender_install(Service& s, Request& req) {
  auto id = param(req, "id");
  if (id.empty() || id.size() > 128) co_return problem("not_found", "no such message");
  auto o = body_object(req);
  if (!o) co_return error_from(o.error());
  if (auto st = only_fields(*o, {"trust"}); !st) co_return error_from(st.error());
  auto trust = bool_field(*o, "trust");
  if (!trust) co_return error_from(trust.error());
  auto r = co_await s.install_sender(req.principal, id, trust->value_or(false));
  if (!r) co_return error_from(r.error());
  co_return json_value_response(201, *r);
}

}  // namespace smimegw::http::sync
