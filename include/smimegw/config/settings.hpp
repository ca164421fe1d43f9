// config: the one table of settings (STYLE.md rule 4). Every key the YAML file may contain is a row
// here: its type, default, bounds or allowed values, whether it is a secret (redacted in every
// dump), whether it may change on reload, and its documentation. docs/configuration.md is
// generated from this table (`smimegw config-doc`), and a test fails when the file is stale.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smimegw/config/config.hpp"

namespace smimegw::config {

enum class Type {
  String,
  Int,
  Bool,
  Endpoint,
  Enum,
  StringList,
  DomainList,
  RouteList,
  Path,
  IntList
};

using Value = std::variant<std::string, std::int64_t, bool, Endpoint, std::vector<std::string>,
                           std::vector<Route>, std::vector<std::int64_t>>;

struct Setting {
  std::string_view key;  ///< dotted path, e.g. "smtp.inbound.listen"
  Type type;
  std::string_view default_value;  ///< YAML text, parsed by the same code as the file
  std::int64_t min = 0;            ///< Int bounds (inclusive)
  std::int64_t max = 0;
  std::vector<std::string_view> allowed;  ///< Enum values
  bool secret = false;
  bool reloadable = false;
  std::string_view doc;
  void (*apply)(Config&, const Value&) = nullptr;
};

/// All settings, in documentation order.
std::span<const Setting> settings();

/// The row for a key, or nullptr.
const Setting* find_setting(std::string_view key);

std::string_view type_name(Type t);

}  // namespace smimegw::config
