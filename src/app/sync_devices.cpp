// app: the user's enrolled devices and the automated delivery of their keys (sync_services.hpp).
// A delivery is directory::CertificateService::export_pkcs12 (the newest signing and encryption
// keys, PBES2/AES-256-CBC under the client's password, audit-logged as user_certificate.export
// with actor "sync:<user>/device:<id>"), run on the worker (it unwraps keys and derives the
// password key); the device's delivery count and time are then updated.
#include <charconv>

#include "smimegw/core/time_format.hpp"
#include "smimegw/obs/log.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;
using http::sync::Device;
using http::sync::Pkcs12Delivery;

namespace {

json::object device_json(const Device& d) {
  json::object o;
  o["id"] = std::to_string(d.id);
  o["deviceId"] = d.device_id;
  o["name"] = d.name;
  o["createdDateTime"] = core::iso8601_utc(d.created_at);
  if (d.last_delivery_at)
    o["lastDeliveryDateTime"] = core::iso8601_utc(*d.last_delivery_at);
  else
    o["lastDeliveryDateTime"] = nullptr;
  o["deliveries"] = d.deliveries;
  return o;
}

/// The numeric id of a device path parameter; nullopt for anything else.
std::optional<std::int64_t> device_number(const std::string& id) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (id.empty() || ec != std::errc() || p != id.data() + id.size() || n <= 0) return std::nullopt;
  return n;
}

core::Error no_device() {
  return core::Error::make("not_found", "no such device");
}

}  // namespace

asio::awaitable<core::Result<json::array>> SyncServices::devices(std::string user) {
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto list = co_await d_.devices.list(u->id);
  if (!list) co_return list.error();
  json::array out;
  for (const auto& d : *list) out.push_back(device_json(d));
  co_return out;
}

asio::awaitable<core::Result<json::object>> SyncServices::enrol_device(std::string user,
                                                                       std::string device_id,
                                                                       std::string name) {
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto d = co_await d_.devices.add(u->id, device_id, name);
  if (!d) co_return d.error();
  directory::AuditEntry audit{"sync:" + user, "sync_device.enrol", user,
                              "{\"device\":" + std::to_string(d->id) + "}"};
  auto logged = co_await d_.certificates.append_audit(std::move(audit));
  if (!logged) co_return logged.error();
  co_return device_json(*d);
}

asio::awaitable<core::Result<Pkcs12Delivery>> SyncServices::deliver(std::string user,
                                                                    std::string id,
                                                                    std::string password) {
  auto n = device_number(id);
  if (!n) co_return no_device();
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto d = co_await d_.devices.find(u->id, *n);
  if (!d) co_return d.error();
  if (!*d) co_return no_device();
  if (!d_.certificate_service)
    co_return core::Error::transient("db_unavailable",
                                     "the certificate services are not available");
  auto* service = d_.certificate_service;
  std::string actor = "sync:" + user + "/device:" + id;
  auto task = service->export_pkcs12(user, std::move(password), actor);
  auto exported = co_await on_worker(d_.worker, std::move(task));
  if (!exported) co_return exported.error();
  auto counted = co_await d_.devices.delivered(u->id, *n);
  if (!counted) co_return counted.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_device_delivery",
           {{"user", user},
            {"device", id},
            {"certificates", std::to_string(exported->thumbprints.size())}});
  Pkcs12Delivery out;
  out.pfx.assign(exported->pfx.begin(), exported->pfx.end());
  out.thumbprints = std::move(exported->thumbprints);
  co_return out;
}

asio::awaitable<core::Status> SyncServices::remove_device(std::string user, std::string id) {
  auto n = device_number(id);
  if (!n) co_return no_device();
  auto u = co_await me(user);
  if (!u) co_return u.error();
  auto st = co_await d_.devices.remove(u->id, *n);
  if (!st) co_return st.error();
  directory::AuditEntry audit{"sync:" + user, "sync_device.remove", user,
                              "{\"device\":" + id + "}"};
  auto logged = co_await d_.certificates.append_audit(std::move(audit));
  if (!logged) co_return logged.error();
  co_return core::Status{};
}

}  // namespace smimegw::app
