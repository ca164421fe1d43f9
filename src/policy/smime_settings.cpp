// policy: S/MIME settings names, patch merges and effective rules (smime_settings.hpp).
#include "smimegw/policy/smime_settings.hpp"

#include <charconv>
#include <set>

#include "settings_fields.hpp"
#include "smimegw/core/address.hpp"

namespace smimegw::policy {

std::string_view to_string(IncludeChain c) {
  switch (c) {
    case IncludeChain::none:
      return "none";
    case IncludeChain::with_root:
      return "withRoot";
    case IncludeChain::without_root:
      break;
  }
  return "withoutRoot";
}

std::optional<IncludeChain> parse_include_chain(std::string_view s) {
  const auto l = core::ascii_lower(s);
  if (l == "none") return IncludeChain::none;
  if (l == "withoutroot") return IncludeChain::without_root;
  if (l == "withroot") return IncludeChain::with_root;
  return std::nullopt;
}

std::string_view to_string(RuleSource s) {
  switch (s) {
    case RuleSource::organization:
      return "organization";
    case RuleSource::user:
      return "user";
    case RuleSource::user_default:
      return "user_default";
    case RuleSource::none:
      break;
  }
  return "none";
}

core::Result<std::pair<std::string, PatchValue>> parse_patch_text(std::string_view text) {
  auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return core::Error::make("invalid_field", "\"" + std::string(text) + "\": expected key=value");
  std::string key(text.substr(0, eq));
  std::string_view v = text.substr(eq + 1);
  if (v == "true") return std::pair{key, PatchValue(true)};
  if (v == "false") return std::pair{key, PatchValue(false)};
  if (v == "null") return std::pair{key, PatchValue()};
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (!v.empty() && ec == std::errc() && p == v.data() + v.size())
    return std::pair{key, PatchValue(n)};
  return std::pair{key, PatchValue(std::string(v))};
}

std::vector<std::pair<std::string, PatchValue>> fields(const SmimeSettings& s) {
  std::vector<std::pair<std::string, PatchValue>> out;
  for (const auto& f : detail::settings_fields()) out.emplace_back(f.name, f.get(s));
  return out;
}

std::vector<std::pair<std::string, PatchValue>> fields(const UserSmimeSettings& s) {
  auto opt = [](const std::optional<bool>& b) { return b ? PatchValue(*b) : PatchValue(); };
  return {{"smimeEnabled", PatchValue(s.smime_enabled)},
          {"signAll", opt(s.sign_all)},
          {"encryptAll", opt(s.encrypt_all)}};
}

FieldErrors merge_patch(const SmimeSettings& base, const Patch& patch, SmimeSettings& out) {
  SmimeSettings staged = base;
  FieldErrors errors;
  std::set<std::string> seen;
  for (const auto& [key, value] : patch) {
    if (!seen.insert(key).second) {
      errors.push_back({key, "given more than once"});
      continue;
    }
    const detail::SettingField* field = nullptr;
    for (const auto& f : detail::settings_fields())
      if (key == f.name) field = &f;
    if (!field) {
      errors.push_back({key, "unknown setting"});
    } else if (std::holds_alternative<std::monostate>(value)) {
      errors.push_back({key, "must not be null"});
    } else if (auto why = field->set(staged, value); !why.empty()) {
      errors.push_back({key, why});
    }
  }
  if (errors.empty()) out = staged;
  return errors;
}

FieldErrors merge_user_patch(const SmimeSettings& org, const UserSmimeSettings& base,
                             const Patch& patch, UserSmimeSettings& out) {
  UserSmimeSettings staged = base;
  FieldErrors errors;
  std::set<std::string> seen;
  auto flag = [&](const std::string& key, const PatchValue& v, std::optional<bool>& dst,
                  bool allowed) {
    if (std::holds_alternative<std::monostate>(v)) {
      dst.reset();
    } else if (!std::holds_alternative<bool>(v)) {
      errors.push_back({key, "expected true, false or null"});
    } else if (!allowed && dst != std::get<bool>(v)) {
      errors.push_back({key, "the administrator does not allow changing this setting"});
    } else {
      dst = std::get<bool>(v);
    }
  };
  for (const auto& [key, value] : patch) {
    if (!seen.insert(key).second) {
      errors.push_back({key, "given more than once"});
    } else if (key == "smimeEnabled") {
      if (std::holds_alternative<bool>(value)) {
        staged.smime_enabled = std::get<bool>(value);
      } else {
        errors.push_back({key, "expected true or false"});
      }
    } else if (key == "signAll") {
      flag(key, value, staged.sign_all, org.sign_all_user_change_allowed);
    } else if (key == "encryptAll") {
      flag(key, value, staged.encrypt_all, org.encrypt_all_user_change_allowed);
    } else {
      errors.push_back({key, "unknown setting"});
    }
  }
  if (errors.empty()) out = staged;
  return errors;
}

EffectiveRules effective_rules(const SmimeSettings& org,
                               const std::optional<UserSmimeSettings>& user) {
  EffectiveRules r;
  const bool enabled = user && user->smime_enabled;  // S/MIME is off until the user enables it
  auto rule = [&](bool always, bool dflt, bool changeable, const std::optional<bool>& choice,
                  bool& on, RuleSource& src, bool& user_changeable) {
    user_changeable = !always && changeable;
    if (always) {
      on = true;
      src = RuleSource::organization;
    } else if (enabled && changeable && choice) {
      on = *choice;
      src = *choice ? RuleSource::user : RuleSource::none;
    } else {
      on = dflt;
      src = dflt ? RuleSource::user_default : RuleSource::none;
    }
  };
  rule(org.always_sign, org.sign_all_default, org.sign_all_user_change_allowed,
       user ? user->sign_all : std::nullopt, r.sign, r.sign_source, r.sign_user_changeable);
  rule(org.always_encrypt, org.encrypt_all_default, org.encrypt_all_user_change_allowed,
       user ? user->encrypt_all : std::nullopt, r.encrypt, r.encrypt_source,
       r.encrypt_user_changeable);
  return r;
}

}  // namespace smimegw::policy
