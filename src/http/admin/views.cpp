// http/admin: JSON shapes of the admin API (documented in docs/openapi.yaml).
#include <boost/json/array.hpp>

#include "handlers.hpp"
#include "smimegw/core/time_format.hpp"

namespace smimegw::http::admin {

namespace json = boost::json;

json::object to_json(const AnchorView& a) {
  json::object o;
  o["id"] = a.id;
  o["subject"] = a.subject;
  o["issuer"] = a.issuer;
  o["sha256"] = a.sha256;
  o["isRoot"] = a.is_root;
  o["enabled"] = a.enabled;
  o["notAfter"] = core::iso8601_utc(a.not_after);
  o["addedBy"] = a.added_by;
  o["addedAt"] = core::iso8601_utc(a.added_at);
  return o;
}

json::object to_json(const ImportItem& i) {
  json::object o;
  o["origin"] = i.origin;
  o["status"] = i.status;
  o["detail"] = i.detail;
  o["subject"] = i.subject;
  o["sha256"] = i.sha256;
  if (i.id)
    o["id"] = *i.id;
  else
    o["id"] = nullptr;
  o["isRoot"] = i.is_root;
  return o;
}

json::object to_json(const QueueItemView& q) {
  json::object o;
  o["queueId"] = q.queue_id;
  o["source"] = q.source;
  o["mailFrom"] = q.mail_from;
  o["receivedAt"] = core::iso8601_utc(q.received_at);
  o["sizeBytes"] = q.size_bytes;
  json::array rcpts;
  for (const auto& r : q.recipients) {
    json::object ro;
    ro["address"] = r.address;
    ro["route"] = r.route;
    ro["state"] = r.state;
    ro["attempts"] = r.attempts;
    ro["nextAttemptAt"] = core::iso8601_utc(r.next_attempt_at);
    ro["lastReply"] = r.last_reply;
    rcpts.push_back(std::move(ro));
  }
  o["recipients"] = std::move(rcpts);
  return o;
}

json::object to_json(const UserView& u) {
  json::object o;
  o["id"] = u.id;
  o["address"] = u.address;
  o["displayName"] = u.display_name;
  o["enabled"] = u.enabled;
  json::array proxies;
  for (const auto& p : u.proxy_addresses) proxies.push_back(json::value(p));
  o["proxyAddresses"] = std::move(proxies);
  return o;
}

json::object to_json(const UserCertificateView& c) {
  json::object o;
  o["id"] = c.id;
  o["thumbprint"] = c.thumbprint;
  o["usage"] = c.usage;
  o["notBefore"] = core::iso8601_utc(c.not_before);
  o["notAfter"] = core::iso8601_utc(c.not_after);
  o["source"] = c.source;
  o["hasPrivateKey"] = c.has_private_key;
  o["enabled"] = c.enabled;
  return o;
}

}  // namespace smimegw::http::admin
