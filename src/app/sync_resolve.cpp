// app: GET /me/resolveRecipients (sync_services.hpp) through the transport gate's resolver
// (GAL → the caller's installed certificates → LDAP, every candidate validated for encryption).
// Addresses asked directly are resolved in one call; each group on its own, so its member and
// certificate counts are its own. A top-level address is a user when it belongs to the GAL, a
// group member when its domain is accepted (organization.accepted_domains); else external. At
// most kMaxMembers members are listed per group (membersTruncated), the counts cover all.
#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxMembers = 500;

json::object certificate_json(const directory::RecipientResolution& r) {
  json::object c;
  c["available"] = r.certificate.has_value() || !r.candidates.empty();
  c["valid"] = r.certificate.has_value();
  if (r.certificate) {
    c["source"] = r.certificate->source;
    c["notAfter"] = core::iso8601_utc(r.certificate->not_after);
    c["thumbprint"] = r.certificate->thumbprint;
    return c;
  }
  const directory::CandidateReport* newest = nullptr;
  for (const auto& k : r.candidates)
    if (!newest || k.not_after > newest->not_after) newest = &k;
  if (!newest) {
    c["source"] = nullptr;
    c["notAfter"] = nullptr;
    c["thumbprint"] = nullptr;
    return c;
  }
  c["source"] = newest->source;
  c["notAfter"] = core::iso8601_utc(newest->not_after);
  c["thumbprint"] = newest->thumbprint;
  c["errors"] = json::array(newest->codes.begin(), newest->codes.end());
  return c;
}

json::object entry_json(const directory::RecipientResolution& r, const std::string& type) {
  json::object o;
  o["address"] = r.address;
  o["type"] = type;
  o["certificate"] = certificate_json(r);
  if (r.reason.empty())
    o["reason"] = nullptr;
  else
    o["reason"] = r.reason;
  if (!r.detail.empty()) o["detail"] = r.detail;
  return o;
}

bool accepted(const std::vector<std::string>& domains, const std::string& address) {
  auto at = address.rfind('@');
  if (at == std::string::npos) return false;
  auto domain = core::ascii_lower(address.substr(at + 1));
  for (const auto& d : domains)
    if (core::ascii_lower(d) == domain) return true;
  return false;
}

/// The group entry from the resolution of the group alone (every member carries a `via`).
json::object group_json(const std::string& address,
                        const std::vector<directory::RecipientResolution>& resolved,
                        const std::vector<std::string>& domains) {
  json::object o;
  o["address"] = address;
  o["type"] = "group";
  o["reason"] = nullptr;
  std::size_t members = 0, with_certificate = 0;
  json::array list;
  for (const auto& m : resolved) {
    if (m.via.empty()) {  // the group's own entry: its expansion lost members
      o["reason"] = m.reason;
      if (!m.detail.empty()) o["detail"] = m.detail;
      continue;
    }
    ++members;
    if (m.resolved()) ++with_certificate;
    if (list.size() < kMaxMembers)
      list.push_back(entry_json(m, accepted(domains, m.address) ? "user" : "external"));
  }
  o["memberCount"] = members;
  o["withCertificate"] = with_certificate;
  o["members"] = std::move(list);
  o["membersTruncated"] = members > kMaxMembers;
  return o;
}

/// The entry of an address asked directly.
json::object direct_json(const std::string& address,
                         const std::vector<directory::RecipientResolution>& resolved, bool gal) {
  for (const auto& r : resolved)
    if (r.address == address && r.via.empty()) return entry_json(r, gal ? "user" : "external");
  directory::RecipientResolution none;  // e.g. not an address at all
  none.address = address;
  none.reason = "bad_address";
  return entry_json(none, gal ? "user" : "external");
}

}  // namespace

// Loops that co_await use indexes and stop on the first failure (g++ 12 coroutine rules,
// docs/architecture.md).
asio::awaitable<core::Result<json::array>> SyncServices::resolve_recipients(
    std::string user, std::vector<std::string> addresses) {
  if (!d_.resolver) co_return core::Error::transient("db_unavailable", "no recipient resolver");
  for (auto& a : addresses) a = core::ascii_lower(a);
  std::vector<std::string> groups;
  if (d_.groups) {
    auto g = co_await d_.groups->groups_among(addresses);
    if (!g) co_return g.error();
    groups = std::move(*g);
  }
  std::vector<std::string> direct;
  for (const auto& a : addresses)
    if (std::find(groups.begin(), groups.end(), a) == groups.end()) direct.push_back(a);
  std::vector<directory::RecipientResolution> resolved;
  if (!direct.empty()) {
    auto r = co_await d_.resolver->resolve(user, direct);
    if (!r) co_return r.error();
    resolved = std::move(*r);
  }
  json::array out;
  std::optional<core::Error> failure;
  for (std::size_t i = 0; i < addresses.size() && !failure; ++i) {
    const std::string a = addresses[i];
    if (std::find(groups.begin(), groups.end(), a) != groups.end()) {
      std::vector<std::string> one{a};
      auto r = co_await d_.resolver->resolve(user, one);
      if (r)
        out.push_back(group_json(a, *r, d_.accepted_domains));
      else
        failure = r.error();
    } else {
      auto gal = co_await d_.users.find_by_address(a);
      if (gal)
        out.push_back(direct_json(a, resolved, gal->has_value()));
      else
        failure = gal.error();
    }
  }
  if (failure) co_return *failure;
  co_return out;
}

}  // namespace smimegw::app
