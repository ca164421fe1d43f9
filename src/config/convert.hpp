// Conversion of one YAML node into a Value according to its settings row.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "smimegw/config/settings.hpp"

namespace smimegw::config::detail {

/// Converts `node` for `setting`; on failure returns nullopt and sets `why` (no location prefix).
std::optional<Value> convert(const Setting& setting, const YAML::Node& node, std::string& why);

/// Renders a value back as YAML flow text (for dumps and docs).
std::string render(const Value& value);

}  // namespace smimegw::config::detail
