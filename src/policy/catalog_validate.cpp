// policy: catalog validation (label.hpp validate()): every error, each with its field path.
#include <map>
#include <set>

#include "smimegw/core/address.hpp"
#include "smimegw/policy/guid.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/policy/marking_template.hpp"

namespace smimegw::policy {
namespace {

class Checker {
 public:
  Checker(const Catalog& c, const CatalogLimits& l) : cat_(c), lim_(l) {}

  FieldErrors run() {
    if (cat_.labels.size() > lim_.max_labels)
      add("labels", "more than " + std::to_string(lim_.max_labels) + " labels");
    if (cat_.policies.size() > lim_.max_policies)
      add("policies", "more than " + std::to_string(lim_.max_policies) + " policies");
    for (std::size_t i = 0; i < cat_.labels.size(); ++i) label(cat_.labels[i], at("labels", i));
    for (std::size_t i = 0; i < cat_.policies.size(); ++i)
      policy(cat_.policies[i], at("policies", i));
    return std::move(errors_);
  }

 private:
  static std::string at(const std::string& base, std::size_t i) {
    return base + "[" + std::to_string(i) + "]";
  }
  void add(std::string field, std::string msg) {
    errors_.push_back({std::move(field), std::move(msg)});
  }

  // The name travels in msip_labels: no separators, no control characters.
  void text(const std::string& f, const std::string& v, std::size_t max, bool header_safe) {
    if (v.empty()) return add(f, "must not be empty");
    if (v.size() > max) add(f, "longer than " + std::to_string(max) + " characters");
    for (unsigned char c : v) {
      if (c < 0x20 || c == 0x7F) return add(f, "must not contain control characters");
      if (header_safe && (c == ';' || c == '='))
        return add(f, "must not contain ';' or '=' (it is carried in the msip_labels header)");
    }
    if (header_safe && (v.front() == ' ' || v.back() == ' '))
      add(f, "must not start or end with a space");
  }

  void templ(const std::string& f, const std::string& v) {
    if (v.size() > lim_.max_template)
      add(f, "longer than " + std::to_string(lim_.max_template) + " characters");
    for (const auto& u : unknown_variables(v))
      add(f, "unknown variable " + u + " (known: ${Item.Label}, ${User.Name}, ${Event.DateTime})");
  }

  static bool valid_domain(std::string d) {
    if (d.rfind("*.", 0) == 0) d = d.substr(2);
    if (d.empty() || d.size() > 253) return false;
    std::size_t label_len = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      const char c = d[i];
      if (c == '.') {
        if (label_len == 0 || d[i - 1] == '-') return false;
        label_len = 0;
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && label_len > 0)) {
        if (++label_len > 63) return false;
      } else {
        return false;
      }
    }
    return label_len > 0 && d.back() != '-';
  }

  void label(const Label& l, const std::string& f) {
    auto id = normalize_guid(l.id);
    if (!id) {
      add(f + ".id", "not a GUID (8-4-4-4-12 hex digits)");
    } else if (!ids_.insert(*id).second) {
      add(f + ".id", "duplicate label id " + *id);
    }
    text(f + ".name", l.name, lim_.max_name, true);
    if (!l.name.empty() && !names_.insert(core::ascii_lower(l.name)).second)
      add(f + ".name", "duplicate label name \"" + l.name + "\"");
    text(f + ".display_name", l.display_name, lim_.max_display_name, false);
    if (auto [it, fresh] = priorities_.emplace(l.priority, l.name); !fresh)
      add(f + ".priority",
          "priority " + std::to_string(l.priority) + " is already used by \"" + it->second + "\"");
    if (l.priority < 0) add(f + ".priority", "must be 0 or more");
    templ(f + ".marking.header", l.header_template);
    templ(f + ".marking.footer", l.footer_template);
    if (l.rights.bits == 0 || l.rights.bits > 0x7F)
      add(f + ".rights", "must name at least one right");
    if (l.scope.internal_only && !l.scope.domains.empty())
      add(f + ".scope", "internal_only and domains exclude each other");
    if (l.scope.domains.size() > lim_.max_domains)
      add(f + ".scope.domains", "more than " + std::to_string(lim_.max_domains) + " domains");
    for (std::size_t i = 0; i < l.scope.domains.size(); ++i)
      if (!valid_domain(l.scope.domains[i]))
        add(at(f + ".scope.domains", i), "not a domain name: \"" + l.scope.domains[i] + "\"");
    if (l.content_expiry_days < 0 || l.content_expiry_days > lim_.max_expiry_days)
      add(f + ".content_expiry_days",
          "must be between 0 and " + std::to_string(lim_.max_expiry_days));
  }

  void addresses(const std::vector<std::string>& list, const std::string& f) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!core::Address::parse(list[i]).ok())
        add(at(f, i), "not an e-mail address: \"" + list[i] + "\"");
  }

  void policy(const LabelPolicy& p, const std::string& f) {
    text(f + ".name", p.name, lim_.max_name, false);
    if (!p.name.empty() && !policy_names_.insert(core::ascii_lower(p.name)).second)
      add(f + ".name", "duplicate policy name \"" + p.name + "\"");
    if (auto [it, fresh] = policy_priorities_.emplace(p.priority, p.name); !fresh)
      add(f + ".priority",
          "priority " + std::to_string(p.priority) + " is already used by \"" + it->second + "\"");
    if (!p.all_users && p.users.empty() && p.groups.empty())
      add(f, "assigned to nobody (set all_users, users or groups)");
    if (p.users.size() + p.groups.size() > lim_.max_assignments)
      add(f, "more than " + std::to_string(lim_.max_assignments) + " users and groups");
    addresses(p.users, f + ".users");
    addresses(p.groups, f + ".groups");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < p.labels.size(); ++i) {
      auto id = normalize_guid(p.labels[i]);
      if (!id || !ids_.count(*id)) {
        add(at(f + ".labels", i), "no such label " + p.labels[i]);
      } else if (!seen.insert(*id).second) {
        add(at(f + ".labels", i), "label listed twice");
      }
    }
    if (p.default_label) {
      auto id = normalize_guid(*p.default_label);
      if (!id || !seen.count(*id))
        add(f + ".default_label", "must be one of the labels this policy publishes");
    }
    if (p.mandatory && p.labels.empty())
      add(f + ".mandatory", "mandatory labelling needs at least one published label");
  }

  const Catalog& cat_;
  const CatalogLimits& lim_;
  FieldErrors errors_;
  std::set<std::string> ids_, names_, policy_names_;
  std::map<int, std::string> priorities_, policy_priorities_;
};

}  // namespace

FieldErrors validate(const Catalog& catalog, const CatalogLimits& limits) {
  return Checker(catalog, limits).run();
}

}  // namespace smimegw::policy
