#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

int cmd_migrate(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option(), {"status", 0, false, false}}, err);
  if (!args || !args->positional.empty()) {
    report("migrate: " + (args ? "unexpected argument " + args->positional.front() : err));
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  auto conn = open_database(*cfg);
  if (!conn) {
    report(conn.error().message);
    return 1;
  }
  if (args->has("status")) {
    auto state = db::schema_state(**conn);
    if (!state) {
      report(state.error().message);
      return 1;
    }
    for (const auto& m : state->applied) std::cout << "applied  " << m << "\n";
    for (const auto& m : state->missing) std::cout << "missing  " << m << "\n";
    for (const auto& m : state->unknown) std::cout << "unknown  " << m << "\n";
    auto gate = db::check_schema(*state);
    if (!gate) report(gate.error().message);
    return gate ? 0 : 1;
  }
  auto applied = db::migrate(**conn);
  if (!applied) {
    report(applied.error().message);
    return 1;
  }
  for (const auto& m : *applied) std::cout << "applied " << m << "\n";
  std::cout << "schema is current (" << db::known_migrations().size() << " migrations)\n";
  return 0;
}

}  // namespace smimegw::app
