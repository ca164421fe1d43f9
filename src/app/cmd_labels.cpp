// app: `smimegw labels`, the sensitivity-label catalog against the configured database.
//
//   smimegw labels import FILE.yaml [--dry-run] [-c CONFIG]   replace labels and policies
//   smimegw labels list [--json] [-c CONFIG]
//   smimegw labels show ID|NAME [--json] [-c CONFIG]          a label, else a policy by name
//
// import validates the whole file first (every error as FILE:LINE:COL: field: message, exit 2)
// and then replaces the catalog in one transaction; --dry-run stops after validation and needs
// no database. Exit codes: 0 done; 1 database failure or (show) no such label or policy; 2 usage,
// invalid file or configuration. The schema must be current (`smimegw migrate`).
#include <algorithm>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "labels_render.hpp"
#include "labels_yaml.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {
namespace {

namespace json = boost::json;

constexpr const char* kUsage =
    "usage: smimegw labels import FILE.yaml [--dry-run] | list [--json] | show ID|NAME [--json]"
    "  [-c CONFIG]";

int run_import(const Args& a, std::optional<config::Config>& cfg) {
  std::vector<std::string> errors;
  auto cat = load_catalog_file(a.positional[1], errors);
  if (!cat) {
    for (const auto& e : errors) std::cerr << e << "\n";
    report("labels import: " + std::to_string(errors.size()) + " error(s); nothing imported");
    return 2;
  }
  std::size_t mandatory = std::count_if(cat->policies.begin(), cat->policies.end(),
                                        [](const auto& p) { return p.mandatory; });
  if (a.has("dry-run")) {
    std::cout << a.positional[1] << ": valid: " << cat->labels.size() << " labels, "
              << cat->policies.size() << " policies (" << mandatory << " mandatory)\n";
    return 0;
  }
  cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgPolicyStore store(pool);
  if (auto s = store.replace_catalog(*cat); !s) {
    report("labels import: " + s.error().message);
    return 1;
  }
  obs::log(*obs::logger("policy"), spdlog::level::info, "label_catalog_imported",
           {{"file", a.positional[1]},
            {"labels", std::to_string(cat->labels.size())},
            {"policies", std::to_string(cat->policies.size())}});
  std::cout << "imported " << cat->labels.size() << " labels, " << cat->policies.size()
            << " policies (" << mandatory << " mandatory)\n";
  return 0;
}

int run_list(const policy::Catalog& c, const Args& a) {
  if (a.has("json")) {
    json::array labels, policies;
    for (const auto& l : c.labels) labels.push_back(label_json(l, c));
    for (const auto& p : c.policies) policies.push_back(policy_json(p, c));
    std::cout << json::serialize(json::object{{"labels", labels}, {"policies", policies}}) << "\n";
    return 0;
  }
  std::cout << "labels (priority, id, name, protection, scope, published by):\n";
  for (const auto& l : c.labels) print_label_row(std::cout, l, c);
  std::cout << "policies (priority, name, assigned to, labels, default, labelling):\n";
  for (const auto& p : c.policies) print_policy_row(std::cout, p, c);
  if (c.labels.empty()) std::cerr << "smimegw: no labels (import a catalog: labels import FILE)\n";
  return 0;
}

int run_show(const policy::Catalog& c, const Args& a) {
  const auto& key = a.positional[1];
  if (const auto* l = policy::find_label(c, key)) {
    if (a.has("json")) {
      std::cout << json::serialize(label_json(*l, c)) << "\n";
    } else {
      print_label_detail(std::cout, *l, c);
    }
    return 0;
  }
  if (const auto* p = policy::find_policy(c, key)) {
    if (a.has("json")) {
      std::cout << json::serialize(policy_json(*p, c)) << "\n";
    } else {
      print_policy_detail(std::cout, *p, c);
    }
    return 0;
  }
  report("labels show: no label or policy \"" + key + "\" (see smimegw labels list)");
  return 1;
}

}  // namespace

int cmd_labels(int argc, char** argv) {
  std::string err;
  auto args =
      parse_args(argc, argv, 1,
                 {config_option(), {"json", 0, false, false}, {"dry-run", 0, false, false}}, err);
  if (!args) {
    report("labels: " + err);
    return 2;
  }
  const auto& pos = args->positional;
  const std::string verb = pos.empty() ? "" : pos[0];
  const bool shape_ok = (verb == "import" && pos.size() == 2) ||
                        (verb == "list" && pos.size() == 1) || (verb == "show" && pos.size() == 2);
  if (!shape_ok || (verb == "import" && args->has("json")) ||
      (verb != "import" && args->has("dry-run"))) {
    report(kUsage);
    return 2;
  }
  std::optional<config::Config> cfg;
  if (verb == "import") return run_import(*args, cfg);
  cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgPolicyStore store(pool);
  auto cat = store.load_catalog();
  if (!cat) {
    report("labels " + verb + ": " + cat.error().message);
    return 1;
  }
  return verb == "list" ? run_list(*cat, *args) : run_show(*cat, *args);
}

}  // namespace smimegw::app
