// policy: exact msip_labels emission (msip_labels.hpp).
#include <vector>

#include "smimegw/policy/guid.hpp"
#include "smimegw/policy/msip_labels.hpp"

namespace smimegw::policy {
namespace {

// Tabs may appear inside keys and values; other control characters and ';' never.
bool bad_char(unsigned char c) {
  return (c < 0x20 && c != '\t') || c == 0x7F || c == ';';
}

bool edge_space(const std::string& s) {
  return !s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t');
}

core::Error invalid(const std::string& what) {
  return core::Error::make("msip_value_invalid", "cannot emit msip_labels: " + what);
}

// Every entry "key=value", checked so that parsing the joined result gives the same structure.
core::Result<std::vector<std::string>> entries(const MsipHeader& h) {
  std::vector<std::string> out;
  auto push = [&](const std::string& key, const std::string& value) -> core::Status {
    if (key.empty()) return invalid("empty key");
    for (unsigned char c : key)
      if (bad_char(c) || c == '=')
        return invalid("key \"" + key + "\" holds '=', ';' or a control character");
    if (edge_space(key)) return invalid("key \"" + key + "\" starts or ends with whitespace");
    for (unsigned char c : value)
      if (bad_char(c)) return invalid("value of " + key + " holds ';' or a control character");
    if (edge_space(value)) return invalid("value of " + key + " starts or ends with whitespace");
    out.push_back(key + "=" + value);
    return {};
  };
  for (const auto& l : h.labels) {
    auto id = normalize_guid(l.id);
    if (!id) return invalid("label id \"" + l.id + "\" is not a GUID");
    const std::string p = "MSIP_Label_" + *id + "_";
    core::Status s;
    auto opt = [&](const char* attr, const std::optional<std::string>& v) {
      if (s && v) s = push(p + attr, *v);
    };
    if (l.enabled) s = push(p + "Enabled", *l.enabled ? "true" : "false");
    opt("SetDate", l.set_date);
    opt("Method", l.method);
    opt("Name", l.name);
    opt("SiteId", l.site_id);
    opt("ActionId", l.action_id);
    if (s && l.content_bits) s = push(p + "ContentBits", std::to_string(*l.content_bits));
    for (const auto& [k, v] : l.extra)
      if (s) s = push(p + k, v);
    if (!s) return s.error();
  }
  for (const auto& [k, v] : h.other)
    if (auto s = push(k, v); !s) return s.error();
  return out;
}

}  // namespace

core::Result<std::string> format_msip_labels(const MsipHeader& header) {
  auto e = entries(header);
  if (!e) return e.error();
  std::string out;
  for (const auto& s : *e) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  return out;
}

core::Result<std::string> format_msip_labels_field(const MsipHeader& header) {
  auto e = entries(header);
  if (!e) return e.error();
  std::string out = "msip_labels:";
  std::size_t line = out.size();
  for (std::size_t i = 0; i < e->size(); ++i) {
    const auto& s = (*e)[i];
    if (i > 0) {
      out += ';';
      ++line;
    }
    // Fold instead of the space that follows ';' when the entry would pass column 78.
    if (i > 0 && line + 1 + s.size() > 78) {
      out += "\r\n ";
      line = 1;
    } else {
      out += ' ';
      ++line;
    }
    out += s;
    line += s.size();
  }
  return out;
}

}  // namespace smimegw::policy
