#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "directory_setup.hpp"
#include "smimegw/config/loader.hpp"

namespace smimegw::app {

std::optional<config::Config> load_config_or_report(const std::string& path) {
  auto outcome = config::load_config(path, config::process_environment());
  if (!outcome.config) {
    for (const auto& e : outcome.errors) std::cerr << e << "\n";
    std::cerr << "smimegw: " << outcome.errors.size() << " configuration error"
              << (outcome.errors.size() == 1 ? "" : "s") << std::endl;
    return std::nullopt;
  }
  return outcome.config;
}

int cmd_check_config(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option()}, err);
  if (!args) {
    report("check-config: " + err);
    return 2;
  }
  auto path = config_path(*args);
  auto outcome = config::load_config(path, config::process_environment());
  if (!outcome.config) {
    for (const auto& e : outcome.errors) std::cerr << e << "\n";
    report(std::to_string(outcome.errors.size()) + " configuration error" +
           (outcome.errors.size() == 1 ? "" : "s"));
    return 2;
  }
  if (auto ldap = ldap_endpoints(*outcome.config); !ldap) {  // syntax the loader cannot check
    std::cerr << path << ": " << ldap.error().message << "\n";
    report("1 configuration error");
    return 2;
  }
  std::cout << "# effective configuration of " << path << " (secrets redacted)\n"
            << config::render_effective(outcome);
  std::cerr << "smimegw: " << path << ": configuration OK" << std::endl;
  return 0;
}

int cmd_config_doc(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {}, err);
  if (!args) {
    report("config-doc: " + err);
    return 2;
  }
  std::cout << config::settings_markdown();
  return 0;
}

}  // namespace smimegw::app
