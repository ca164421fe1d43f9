// policy: rendering of a label's marking templates. Three variables exist, as in Microsoft
// Purview: ${Item.Label} (the label's display name), ${User.Name} (the sender's display name, else
// the address) and ${Event.DateTime} (when the label was applied, ISO 8601 UTC). Variable names
// match case-insensitively; anything else, including an unknown ${...} or an unterminated "${",
// is copied literally (the catalog validator refuses unknown variables on import).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace smimegw::policy {

struct TemplateValues {
  std::string item_label;
  std::string user_name;
  std::chrono::system_clock::time_point event_time;
};

/// The template with every known variable replaced.
std::string render_template(std::string_view tpl, const TemplateValues& values);

/// The ${...} variables of `tpl` that are not one of the three known ones (as written).
std::vector<std::string> unknown_variables(std::string_view tpl);

}  // namespace smimegw::policy
