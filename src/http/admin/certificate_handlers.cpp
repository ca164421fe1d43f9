// http/admin: certificates an administrator pushes to a user (issue 8 item 2).
//   POST   users/{id}/certificates
//          {"pkcs12": "<base64 PFX>", "password": "...", "force": false, "notify": true}
//          or {"certificate": "<PEM, or base64 DER>", "force": false}
//          → 201 {"value":[certificates as GET users/{id}/certificates], "warnings":[...]}.
//          Refusals carry the import's code: wrong_password, mac_mismatch, unsupported_algorithm,
//          malformed, address_mismatch, no_smime_usage, key_mismatch, no_keys, untrusted (the
//          message lists the validation codes; "force": true stores it anyway, recorded).
//          "notify" (default admin.push_notification) mails the user after a PKCS#12 push.
//   DELETE users/{id}/certificates/{certId} → 204 (the certificate and its key)
// The password and the file are never logged.
#include <botan/base64.h>

#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxFile = 1 << 20;  // base64 text of a PFX or certificate

core::Result<std::vector<std::uint8_t>> base64_field(const std::string& field,
                                                     const std::string& text) {
  try {
    auto v = Botan::base64_decode(text);
    if (v.empty()) return core::Error::make("validation_failed", field + ": empty");
    return std::vector<std::uint8_t>(v.begin(), v.end());
  } catch (const std::exception&) {
    return core::Error::make("validation_failed", field + ": not valid base64");
  }
}

core::Result<CertificatePush> parse_push(const std::string& body) {
  auto o = parse_json_object(body);
  if (!o) return o.error();
  for (const auto& kv : *o) {
    auto k = kv.key();
    if (k != "pkcs12" && k != "password" && k != "force" && k != "notify" && k != "certificate")
      return core::Error::make("validation_failed",
                               std::string(k.data(), k.size()) + ": unknown field");
  }
  CertificatePush p;
  auto pfx = string_field(*o, "pkcs12", false, kMaxFile);
  if (!pfx) return pfx.error();
  auto cert = string_field(*o, "certificate", false, kMaxFile);
  if (!cert) return cert.error();
  if (pfx->has_value() == cert->has_value())
    return core::Error::make("validation_failed",
                             "pkcs12: give either pkcs12 (with password) or certificate");
  auto force = bool_field(*o, "force");
  if (!force) return force.error();
  p.force = force->value_or(false);
  auto notify = bool_field(*o, "notify");
  if (!notify) return notify.error();
  p.notify = *notify;
  if (pfx->has_value()) {
    auto bytes = base64_field("pkcs12", **pfx);
    if (!bytes) return bytes.error();
    p.pkcs12 = std::move(*bytes);
    auto password = string_field(*o, "password", true, 1024);
    if (!password) return password.error();
    p.password = **password;
    return p;
  }
  if (o->contains("password"))
    return core::Error::make("validation_failed", "password: only with pkcs12");
  const std::string& text = **cert;
  if (text.find("-----BEGIN") != std::string::npos) {
    p.certificate.assign(text.begin(), text.end());  // PEM: parsed by the service
  } else {
    auto bytes = base64_field("certificate", text);
    if (!bytes) return bytes.error();
    p.certificate = std::move(*bytes);
  }
  return p;
}

Response pushed(const PushResult& r) {
  json::array items, warnings;
  for (const auto& c : r.certificates) items.push_back(to_json(c));
  for (const auto& w : r.warnings) warnings.push_back(json::value(w));
  json::object o;
  o["value"] = std::move(items);
  o["warnings"] = std::move(warnings);
  return json_value_response(201, o);
}

}  // namespace

Awaitable certificates_push(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto p = parse_push(req.body);
  if (!p) co_return error_from(p.error());
  p->user = *key;
  p->actor = actor_of(req);
  const bool pkcs12 = !p->pkcs12.empty();
  auto r = co_await s.certificates->push(std::move(*p));
  if (!r) {
    obs::log(
        *obs::logger("http"), spdlog::level::warn, "user_certificate_push_refused",
        {{"rid", req.request_id}, {"by", req.principal}, {"user", *key}, {"code", r.error().code}});
    co_return error_from(r.error());
  }
  for (const auto& c : r->certificates)
    obs::log(*obs::logger("http"), spdlog::level::info, "user_certificate_pushed",
             {{"rid", req.request_id},
              {"by", req.principal},
              {"user", *key},
              {"id", std::to_string(c.id)},
              {"thumbprint", c.thumbprint},
              {"kind", pkcs12 ? "pkcs12" : "certificate"}});
  co_return pushed(*r);
}

Awaitable certificates_delete(Services& s, Request& req) {
  auto key = user_key(req);
  if (!key) co_return error_from(key.error());
  auto id = id_param(req, "certId");
  if (!id) co_return error_from(id.error());
  std::string actor = actor_of(req);
  auto st = co_await s.certificates->remove(*key, *id, actor);
  if (!st) co_return error_from(st.error());
  obs::log(*obs::logger("http"), spdlog::level::info, "user_certificate_deleted",
           {{"rid", req.request_id},
            {"by", req.principal},
            {"user", *key},
            {"id", std::to_string(*id)}});
  co_return no_content();
}

}  // namespace smimegw::http::admin
