// http/sync: GET /v1.0/me/resolveRecipients?to=a@x&to=b@y (or to=a@x,b@y) — the ActiveSync
// ResolveRecipients analogue: per recipient {address, type: user|group|external, certificate:
// {available, valid, source, notAfter, thumbprint}, reason}, groups with memberCount,
// withCertificate and members, resolved as the transport gate resolves them (GAL, the caller's
// installed certificates, LDAP; groups expanded). At most 100 addresses (400 validation_failed).
#include <algorithm>

#include "handlers.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxRecipients = 100;

/// Every value of `to` in the query, split at commas and semicolons, trimmed, without repeats.
std::vector<std::string> to_values(std::string_view query) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    auto pair =
        query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    pos = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
    if (pair.rfind("to=", 0) != 0) continue;
    auto value = percent_decode(pair.substr(3), true);
    std::size_t p = 0;
    while (p <= value.size()) {
      auto sep = value.find_first_of(",;", p);
      auto one = value.substr(p, sep == std::string::npos ? std::string::npos : sep - p);
      p = sep == std::string::npos ? value.size() + 1 : sep + 1;
      auto b = one.find_first_not_of(" \t");
      auto e = one.find_last_not_of(" \t");
      if (b == std::string::npos) continue;
      one = one.substr(b, e - b + 1);
      if (std::find(out.begin(), out.end(), one) == out.end()) out.push_back(one);
      if (out.size() > kMaxRecipients) return out;
    }
  }
  return out;
}

}  // namespace

Awaitable resolve_recipients(Service& s, Request& req) {
  auto to = to_values(req.query);
  if (to.empty()) co_return problem("validation_failed", "to: at least one address is required");
  if (to.size() > kMaxRecipients)
    co_return problem("validation_failed",
                      "to: at most " + std::to_string(kMaxRecipients) + " addresses");
  for (const auto& a : to)
    if (a.size() > 254)
      co_return problem("validation_failed", "to: an address is longer than 254 characters");
  auto r = co_await s.resolve_recipients(req.principal, std::move(to));
  if (!r) co_return error_from(r.error());
  json::object o;
  o["value"] = std::move(*r);
  co_return json_value_response(200, o);
}

}  // namespace smimegw::http::sync
