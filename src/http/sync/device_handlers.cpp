// http/sync: enrolled devices and the automated delivery of the user's keys (issue 8 item 3).
//   GET    /v1.0/me/devices → {"value": [{id, deviceId, name, createdDateTime,
//          lastDeliveryDateTime, deliveries}]}
//   POST   /v1.0/me/devices {"deviceId", "name", "password"?} → 201 device; with a password the
//          answer also carries the first delivery ("certificates": as below), or "deliveryError"
//          {code, message} when none can be made yet (e.g. no_keys); 409 conflict for a deviceId
//          already enrolled
//   POST   /v1.0/me/devices/{id}/certificates {"password"} → {"contentType":
//          "application/x-pkcs12", "pkcs12": base64, "thumbprints": [...]}: the newest signing and
//          encryption keys, PBES2/AES-256 under the password (at least 8 characters: 400
//          weakPassword), audit-logged; 400 no_keys
//   DELETE /v1.0/me/devices/{id} → 204
// Passwords and PKCS#12 bytes are never logged.
#include <botan/base64.h>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxPassword = 1024;

bool printable(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

json::object delivery_json(const Pkcs12Delivery& d) {
  json::object o;
  o["contentType"] = "application/x-pkcs12";
  o["pkcs12"] =
      Botan::base64_encode(reinterpret_cast<const std::uint8_t*>(d.pfx.data()), d.pfx.size());
  json::array thumbs;
  for (const auto& t : d.thumbprints) thumbs.push_back(json::value(t));
  o["thumbprints"] = std::move(thumbs);
  return o;
}

/// The body as an object holding only `allowed` fields.
core::Result<json::object> body_object(const Request& req,
                                       std::initializer_list<std::string_view> allowed) {
  auto o = parse_json_object(req.body.empty() ? std::string("{}") : req.body);
  if (!o) return o.error();
  for (const auto& kv : *o) {
    bool ok = false;
    for (auto a : allowed) ok = ok || kv.key() == a;
    if (!ok)
      return core::Error::make("validation_failed",
                               std::string(kv.key().data(), kv.key().size()) + ": unknown field");
  }
  return o;
}

json::object error_json(const core::Error& e) {
  const auto& row = error_row(e.code);
  json::object o;
  o["code"] = row.public_code;
  o["message"] = row.fixed_message.empty() ? e.message : std::string(row.fixed_message);
  return o;
}

std::string device_param(const Request& req) {
  auto id = param(req, "id");
  return id.size() > 20 ? std::string() : id;
}

}  // namespace

Awaitable devices_list(Service& s, Request& req) {
  auto r = co_await s.devices(req.principal);
  if (!r) co_return error_from(r.error());
  json::object o;
  o["value"] = std::move(*r);
  co_return json_value_response(200, o);
}

Awaitable devices_enrol(Service& s, Request& req) {
  auto o = body_object(req, {"deviceId", "name", "password"});
  if (!o) co_return error_from(o.error());
  auto device_id = string_field(*o, "deviceId", true, 128);
  if (!device_id) co_return error_from(device_id.error());
  auto name = string_field(*o, "name", true, 128);
  if (!name) co_return error_from(name.error());
  auto password = string_field(*o, "password", false, kMaxPassword);
  if (!password) co_return error_from(password.error());
  if ((*device_id)->empty() || !printable(**device_id))
    co_return problem("validation_failed", "deviceId: required, printable text");
  if ((*name)->empty() || !printable(**name))
    co_return problem("validation_failed", "name: required, printable text");
  if (*password && (*password)->size() < 8)
    co_return problem("weak_password", "password: at least 8 characters");
  auto device = co_await s.enrol_device(req.principal, **device_id, **name);
  if (!device) co_return error_from(device.error());
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_device_enrolled",
           {{"rid", req.request_id}, {"user", req.principal}});
  if (*password) {
    std::string id(device->at("id").as_string());
    auto d = co_await s.deliver(req.principal, id, **password);
    if (d) {
      (*device)["certificates"] = delivery_json(*d);
    } else {
      (*device)["deliveryError"] = error_json(d.error());
    }
  }
  co_return json_value_response(201, *device);
}

Awaitable device_certificates(Service& s, Request& req) {
  auto id = device_param(req);
  if (id.empty()) co_return problem("not_found", "no such device");
  auto o = body_object(req, {"password"});
  if (!o) co_return error_from(o.error());
  auto password = string_field(*o, "password", false, kMaxPassword);
  if (!password) co_return error_from(password.error());
  auto d = co_await s.deliver(req.principal, id, password->value_or(""));
  if (!d) co_return error_from(d.error());
  co_return json_value_response(200, delivery_json(*d));
}

Awaitable devices_delete(Service& s, Request& req) {
  auto id = device_param(req);
  if (id.empty()) co_return problem("not_found", "no such device");
  auto st = co_await s.remove_device(req.principal, id);
  if (!st) co_return error_from(st.error());
  Response r;
  r.status = 204;
  co_return r;
}

}  // namespace smimegw::http::sync
