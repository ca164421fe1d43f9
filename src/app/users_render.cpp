// app: output of `smimegw users show` (users_cli.hpp).
#include <boost/json.hpp>
#include <sstream>

#include "smimegw/core/time_format.hpp"
#include "users_cli.hpp"

namespace smimegw::app {

namespace {

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string when(std::chrono::system_clock::time_point t) {
  return core::iso8601_utc(t);
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

std::string render_user_text(const directory::UserReport& r) {
  std::ostringstream o;
  o << "address: " << r.user.address << "\n";
  o << "name: " << r.user.display_name << "\n";
  o << "enabled: " << (r.user.enabled ? "yes" : "no") << "\n";
  for (const auto& p : r.user.proxy_addresses) o << "proxy: " << p << "\n";
  for (const auto& s : r.certificates) {
    const auto& c = s.certificate;
    o << "certificate: " << c.thumbprint << " usage=" << directory::to_string(c.usage)
      << " source=" << c.source << " not_before=" << when(c.not_before)
      << " not_after=" << when(c.not_after) << " forced=" << (c.forced ? "yes" : "no")
      << " enabled=" << (c.enabled ? "yes" : "no") << " key=" << (c.has_private_key ? "yes" : "no")
      << " sign=" << (s.can_sign ? "valid" : "-") << " encrypt=" << (s.can_encrypt ? "valid" : "-");
    if (!s.emails.empty()) o << " emails=" << join(s.emails);
    if (!s.errors.empty()) o << " errors=" << join(s.errors);
    if (!s.warnings.empty()) o << " warnings=" << join(s.warnings);
    o << "\n";
  }
  for (const auto& i : r.installed)
    o << "installed: " << i.address << " " << i.thumbprint << " source=" << i.source
      << " not_after=" << when(i.not_after) << "\n";
  const auto& rd = r.readiness;
  o << "smime: " << (rd.ready ? "ready" : "not ready");
  if (!rd.missing.empty()) o << " (missing a valid " << rd.missing << " certificate)";
  o << "\n";
  for (const auto& w : rd.warnings) o << "warning: " << w << "\n";
  return o.str();
}

std::string render_user_json(const directory::UserReport& r) {
  boost::json::array certs;
  for (const auto& s : r.certificates) {
    const auto& c = s.certificate;
    certs.push_back({{"id", c.id},
                     {"thumbprint", c.thumbprint},
                     {"usage", directory::to_string(c.usage)},
                     {"source", c.source},
                     {"not_before", when(c.not_before)},
                     {"not_after", when(c.not_after)},
                     {"days_left", s.days_left},
                     {"forced", c.forced},
                     {"enabled", c.enabled},
                     {"has_private_key", c.has_private_key},
                     {"emails", strings(s.emails)},
                     {"valid_for_signing", s.can_sign},
                     {"valid_for_encryption", s.can_encrypt},
                     {"errors", strings(s.errors)},
                     {"warnings", strings(s.warnings)}});
  }
  boost::json::array installed;
  for (const auto& i : r.installed)
    installed.push_back({{"address", i.address},
                         {"thumbprint", i.thumbprint},
                         {"source", i.source},
                         {"not_after", when(i.not_after)}});
  const auto& rd = r.readiness;
  boost::json::object o{{"id", r.user.id},
                        {"address", r.user.address},
                        {"display_name", r.user.display_name},
                        {"enabled", r.user.enabled},
                        {"proxy_addresses", strings(r.user.proxy_addresses)},
                        {"certificates", certs},
                        {"installed_certificates", installed},
                        {"smime",
                         {{"ready", rd.ready},
                          {"can_sign", rd.can_sign},
                          {"can_encrypt", rd.can_encrypt},
                          {"missing", rd.missing},
                          {"warnings", strings(rd.warnings)}}}};
  return boost::json::serialize(o);
}

}  // namespace smimegw::app
