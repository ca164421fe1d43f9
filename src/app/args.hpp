// app: command-line options of one subcommand. Each subcommand declares its options; anything else
// is a usage error (exit 2) that names the option.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace smimegw::app {

struct OptionSpec {
  std::string name;     ///< long name without dashes, e.g. "config"
  char short_name = 0;  ///< e.g. 'c'
  bool takes_value = true;
  bool repeatable = false;
};

struct Args {
  std::map<std::string, std::vector<std::string>> values;
  std::vector<std::string> positional;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  std::string get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? fallback : it->second.back();
  }
  const std::vector<std::string>& all(const std::string& name) const;
};

/// Parses argv[first..]; on error returns nullopt and sets `error`.
std::optional<Args> parse_args(int argc, char** argv, int first,
                               const std::vector<OptionSpec>& spec, std::string& error);

/// The option every subcommand that reads the configuration takes.
inline OptionSpec config_option() {
  return {"config", 'c', true, false};
}

/// The configuration path: -c, else $SMIMEGW_CONFIG, else config/smimegw.yaml.
std::string config_path(const Args& args);

}  // namespace smimegw::app
