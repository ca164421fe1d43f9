// config: loading and checking a configuration file.
//
// Flow: read the YAML file → walk every key (unknown keys are errors, with file:line:column) →
// convert each value by its settings-table row (type, bounds, allowed values) → apply SMIMEGW_*
// environment overrides → cross-field checks (distinct listener ports, TLS files present in pairs,
// secret files readable) → build the Config. Every error found is reported, not just the first;
// no Config is produced unless there are none.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/config/config.hpp"

namespace smimegw::config {

struct EffectiveSetting {
  std::string key;
  std::string value;   ///< rendered; "<redacted>" for non-empty secrets
  std::string origin;  ///< "default", "file", or "env SMIMEGW_..."
};

struct LoadOutcome {
  std::optional<Config> config;
  std::vector<std::string> errors;  ///< one line each: "FILE:LINE:COL: KEY: what is wrong"
  std::vector<EffectiveSetting> effective;
};

using Environment = std::map<std::string, std::string>;

/// The SMIMEGW_* variables of this process.
Environment process_environment();

/// Loads `file`. Relative paths inside the file are kept as written (resolved by the daemon
/// against its working directory).
LoadOutcome load_config(const std::filesystem::path& file, const Environment& env);

/// Loads YAML text; `label` names it in error messages.
LoadOutcome load_config_text(const std::string& yaml, const std::string& label,
                             const Environment& env);

/// The environment variable that overrides `key` (e.g. SMIMEGW_DATABASE_URL).
std::string env_name(std::string_view key);

/// Effective configuration as YAML-style "key: value  # origin" lines, secrets redacted.
std::string render_effective(const LoadOutcome& outcome);

/// docs/configuration.md, generated from the settings table.
std::string settings_markdown();

/// Parses "host:port" or "[v6]:port"; port must be 1..65535.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string* why);

}  // namespace smimegw::config
