// policy: label names, lookups and the effective policy of a sender (label.hpp).
#include "smimegw/policy/label.hpp"

#include <algorithm>
#include <array>

#include "smimegw/core/address.hpp"
#include "smimegw/policy/guid.hpp"

namespace smimegw::policy {
namespace {

constexpr std::array<std::pair<Right, std::string_view>, 7> kRights = {{
    {Right::view, "view"},
    {Right::edit, "edit"},
    {Right::print, "print"},
    {Right::copy, "copy"},
    {Right::forward, "forward"},
    {Right::reply, "reply"},
    {Right::reply_all, "reply-all"},
}};

bool contains_ci(const std::vector<std::string>& list, const std::string& key) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& s) { return core::ascii_lower(s) == key; });
}

}  // namespace

std::string_view to_string(Protection p) {
  return p == Protection::encrypt ? "encrypt" : "none";
}

std::optional<Protection> parse_protection(std::string_view s) {
  const auto l = core::ascii_lower(s);
  if (l == "none") return Protection::none;
  if (l == "encrypt") return Protection::encrypt;
  return std::nullopt;
}

std::string_view to_string(Right r) {
  for (const auto& [right, name] : kRights)
    if (right == r) return name;
  return "";
}

std::optional<Right> parse_right(std::string_view s) {
  const auto l = core::ascii_lower(s);
  for (const auto& [right, name] : kRights)
    if (name == l || (right == Right::reply_all && l == "reply_all")) return right;
  return std::nullopt;
}

const std::vector<Right>& all_rights() {
  static const std::vector<Right> all = [] {
    std::vector<Right> v;
    for (const auto& r : kRights) v.push_back(r.first);
    return v;
  }();
  return all;
}

std::vector<std::string> right_names(Rights rights) {
  std::vector<std::string> out;
  for (const auto& [right, name] : kRights)
    if (rights.has(right)) out.emplace_back(name);
  return out;
}

const Label* find_label(const Catalog& catalog, std::string_view id_or_name) {
  if (auto id = normalize_guid(id_or_name)) {
    for (const auto& l : catalog.labels)
      if (l.id == *id) return &l;
  }
  const auto key = core::ascii_lower(id_or_name);
  for (const auto& l : catalog.labels)
    if (core::ascii_lower(l.name) == key) return &l;
  return nullptr;
}

const LabelPolicy* find_policy(const Catalog& catalog, std::string_view name) {
  const auto key = core::ascii_lower(name);
  for (const auto& p : catalog.policies)
    if (core::ascii_lower(p.name) == key) return &p;
  return nullptr;
}

bool EffectivePolicy::publishes(std::string_view label_id) const {
  return std::find(published.begin(), published.end(), label_id) != published.end();
}

EffectivePolicy effective_policy(const Catalog& catalog, const std::vector<std::string>& addresses,
                                 const std::vector<std::string>& groups) {
  EffectivePolicy eff;
  const LabelPolicy* winner = nullptr;
  for (const auto& p : catalog.policies) {
    bool applies = p.all_users;
    for (const auto& a : addresses) applies = applies || contains_ci(p.users, core::ascii_lower(a));
    for (const auto& g : groups) applies = applies || contains_ci(p.groups, core::ascii_lower(g));
    if (!applies) continue;
    eff.policies.push_back(p.name);
    if (!winner || p.priority > winner->priority) winner = &p;
  }
  // Union in catalog label order, so the result does not depend on policy order.
  for (const auto& l : catalog.labels) {
    for (const auto& p : catalog.policies) {
      if (std::find(eff.policies.begin(), eff.policies.end(), p.name) == eff.policies.end())
        continue;
      if (std::find(p.labels.begin(), p.labels.end(), l.id) != p.labels.end()) {
        eff.published.push_back(l.id);
        break;
      }
    }
  }
  if (winner) {
    eff.winning_policy = winner->name;
    eff.default_label = winner->default_label;
    eff.mandatory = winner->mandatory;
  }
  return eff;
}

}  // namespace smimegw::policy
