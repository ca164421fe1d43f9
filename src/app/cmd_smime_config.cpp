// app: `smimegw smime-config`, the organisation's S/MIME settings (the Set-SmimeConfig analogue).
//
//   smimegw smime-config show [--json] [-c CONFIG]
//   smimegw smime-config set KEY=VALUE... [-c CONFIG]
//
// Keys are the admin API's camelCase names (alwaysSign, encryptionAlgorithm, …; see
// docs/labels.md); values are typed like JSON (true/false, integers, strings). set validates every
// pair with the same merge as PATCH /admin/v1/smime-config (policy::merge_patch): any error, each
// named by its key, changes nothing (exit 2). A concurrent change between read and write is exit
// 1 (conflict). Exit codes: 0 done, 1 database failure, 2 usage or invalid value/configuration.
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "labels_render.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {
namespace {

namespace json = boost::json;

int run_show(const policy::VersionedSettings& v, bool as_json) {
  if (as_json) {
    json::object o;
    for (const auto& [k, val] : policy::fields(v.settings)) o[k] = patch_value_json(val);
    o["version"] = v.version;
    std::cout << json::serialize(o) << "\n";
    return 0;
  }
  for (const auto& [k, val] : policy::fields(v.settings))
    std::cout << k << " = " << patch_value_text(val) << "\n";
  return 0;
}

int run_set(policy::PolicyStore& store, const policy::VersionedSettings& v, const Args& a) {
  policy::Patch patch;
  policy::FieldErrors errors;
  for (std::size_t i = 1; i < a.positional.size(); ++i) {
    auto kv = policy::parse_patch_text(a.positional[i]);
    if (!kv) {
      errors.push_back({a.positional[i], "expected KEY=VALUE"});
      continue;
    }
    patch.push_back(std::move(*kv));
  }
  policy::SmimeSettings next;
  if (errors.empty()) errors = policy::merge_patch(v.settings, patch, next);
  if (!errors.empty()) {
    for (const auto& e : errors) report("smime-config set: " + e.field + ": " + e.message);
    return 2;
  }
  auto saved = store.save_smime_settings(next, v.version);
  if (!saved) {
    report("smime-config set: " + saved.error().message);
    return 1;
  }
  auto before = policy::fields(v.settings);
  auto after = policy::fields(next);
  std::size_t changes = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (before[i].second == after[i].second) continue;
    std::cout << after[i].first << ": " << patch_value_text(before[i].second) << " -> "
              << patch_value_text(after[i].second) << "\n";
    ++changes;
    obs::log(*obs::logger("policy"), spdlog::level::info, "smime_setting_changed",
             {{"key", after[i].first},
              {"from", patch_value_text(before[i].second)},
              {"to", patch_value_text(after[i].second)},
              {"version", std::to_string(*saved)}});
  }
  if (changes == 0) std::cout << "no change\n";
  return 0;
}

}  // namespace

int cmd_smime_config(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option(), {"json", 0, false, false}}, err);
  if (!args) {
    report("smime-config: " + err);
    return 2;
  }
  const auto& pos = args->positional;
  const bool show = !pos.empty() && pos[0] == "show" && pos.size() == 1;
  const bool set = !pos.empty() && pos[0] == "set" && pos.size() >= 2 && !args->has("json");
  if (!show && !set) {
    report("usage: smimegw smime-config show [--json] | set KEY=VALUE...  [-c CONFIG]");
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgPolicyStore store(pool);
  auto current = store.smime_settings();
  if (!current) {
    report("smime-config: " + current.error().message);
    return 1;
  }
  return show ? run_show(*current, args->has("json")) : run_set(store, *current, *args);
}

}  // namespace smimegw::app
