// app: printing labels, policies and settings (labels_render.hpp).
#include "labels_render.hpp"

#include <algorithm>

namespace smimegw::app {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> publishers(const policy::Label& l, const policy::Catalog& c) {
  std::vector<std::string> out;
  for (const auto& p : c.policies)
    if (std::find(p.labels.begin(), p.labels.end(), l.id) != p.labels.end()) out.push_back(p.name);
  return out;
}

std::string label_name(const policy::Catalog& c, const std::string& id) {
  const auto* l = policy::find_label(c, id);
  return l ? l->name : id;
}

std::string scope_text(const policy::Scope& s) {
  if (s.internal_only) return "internal-only";
  if (s.domains.empty()) return "anyone";
  std::string out;
  for (const auto& d : s.domains) out += (out.empty() ? "" : ",") + d;
  return out;
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

json::object label_json(const policy::Label& l, const policy::Catalog& c) {
  json::object scope{{"internal_only", l.scope.internal_only},
                     {"domains", strings(l.scope.domains)}};
  return json::object{
      {"id", l.id},
      {"name", l.name},
      {"display_name", l.display_name},
      {"priority", l.priority},
      {"marking", json::object{{"header", l.header_template}, {"footer", l.footer_template}}},
      {"protection", std::string(policy::to_string(l.protection))},
      {"rights", strings(policy::right_names(l.rights))},
      {"scope", scope},
      {"content_expiry_days", l.content_expiry_days},
      {"published_by", strings(publishers(l, c))}};
}

json::object policy_json(const policy::LabelPolicy& p, const policy::Catalog& c) {
  json::array labels;
  for (const auto& id : p.labels)
    labels.push_back(json::object{{"id", id}, {"name", label_name(c, id)}});
  json::value dflt = nullptr;
  if (p.default_label)
    dflt = json::object{{"id", *p.default_label}, {"name", label_name(c, *p.default_label)}};
  return json::object{{"name", p.name},
                      {"priority", p.priority},
                      {"all_users", p.all_users},
                      {"users", strings(p.users)},
                      {"groups", strings(p.groups)},
                      {"labels", labels},
                      {"default_label", dflt},
                      {"mandatory", p.mandatory}};
}

json::value patch_value_json(const policy::PatchValue& v) {
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v);
  if (std::holds_alternative<std::int64_t>(v)) return std::get<std::int64_t>(v);
  if (std::holds_alternative<std::string>(v)) return json::string(std::get<std::string>(v));
  return nullptr;
}

std::string patch_value_text(const policy::PatchValue& v) {
  if (std::holds_alternative<bool>(v)) return std::get<bool>(v) ? "true" : "false";
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "null";
}

void print_label_row(std::ostream& out, const policy::Label& l, const policy::Catalog& c) {
  out << l.priority << "\t" << l.id << "\t" << l.name << "\t" << policy::to_string(l.protection)
      << "\t" << scope_text(l.scope) << "\t" << join(publishers(l, c), ",") << "\n";
}

void print_policy_row(std::ostream& out, const policy::LabelPolicy& p, const policy::Catalog& c) {
  std::vector<std::string> names;
  for (const auto& id : p.labels) names.push_back(label_name(c, id));
  out << p.priority << "\t" << p.name << "\t"
      << (p.all_users ? "all users"
                      : std::to_string(p.users.size()) + " users, " +
                            std::to_string(p.groups.size()) + " groups")
      << "\t" << join(names, ",")
      << "\tdefault=" << (p.default_label ? label_name(c, *p.default_label) : "-") << "\t"
      << (p.mandatory ? "mandatory" : "optional") << "\n";
}

void print_label_detail(std::ostream& out, const policy::Label& l, const policy::Catalog& c) {
  out << "id:                  " << l.id << "\n"
      << "name:                " << l.name << "\n"
      << "display name:        " << l.display_name << "\n"
      << "priority:            " << l.priority << "\n"
      << "header marking:      " << l.header_template << "\n"
      << "footer marking:      " << l.footer_template << "\n"
      << "protection:          " << policy::to_string(l.protection) << "\n"
      << "rights:              " << join(policy::right_names(l.rights)) << "\n"
      << "scope:               " << scope_text(l.scope) << "\n"
      << "content expiry days: " << l.content_expiry_days << "\n"
      << "published by:        " << join(publishers(l, c)) << "\n";
}

void print_policy_detail(std::ostream& out, const policy::LabelPolicy& p,
                         const policy::Catalog& c) {
  std::vector<std::string> names;
  for (const auto& id : p.labels) names.push_back(label_name(c, id));
  out << "policy:        " << p.name << "\n"
      << "priority:      " << p.priority << "\n"
      << "all users:     " << (p.all_users ? "yes" : "no") << "\n"
      << "users:         " << join(p.users) << "\n"
      << "groups:        " << join(p.groups) << "\n"
      << "labels:        " << join(names) << "\n"
      << "default label: " << (p.default_label ? label_name(c, *p.default_label) : "") << "\n"
      << "mandatory:     " << (p.mandatory ? "yes" : "no") << "\n";
}

}  // namespace smimegw::app
