// policy: GUIDs as label ids, tenant ids (SiteId) and action ids: the 8-4-4-4-12 hexadecimal form,
// compared and stored lower-case.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smimegw::policy {

/// The lower-case form of a GUID written as 8-4-4-4-12 hex digits (optionally in braces), or
/// nullopt when `text` is not one.
std::optional<std::string> normalize_guid(std::string_view text);

inline bool is_guid(std::string_view text) {
  return normalize_guid(text).has_value();
}

}  // namespace smimegw::policy
