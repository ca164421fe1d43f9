// policy (private): the one table of SmimeSettings fields: camelCase name, how to read it as a
// PatchValue and how to set it from one (returning the error text, "" when accepted).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "smimegw/policy/smime_settings.hpp"

namespace smimegw::policy::detail {

struct SettingField {
  const char* name;
  std::function<PatchValue(const SmimeSettings&)> get;
  std::function<std::string(SmimeSettings&, const PatchValue&)> set;
};

const std::vector<SettingField>& settings_fields();

}  // namespace smimegw::policy::detail
