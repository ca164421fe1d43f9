// policy: GUID normalisation (guid.hpp).
#include "smimegw/policy/guid.hpp"

#include <cctype>

namespace smimegw::policy {

std::optional<std::string> normalize_guid(std::string_view text) {
  if (text.size() == 38 && text.front() == '{' && text.back() == '}') text = text.substr(1, 36);
  if (text.size() != 36) return std::nullopt;
  std::string out(36, '-');
  for (std::size_t i = 0; i < 36; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (!std::isxdigit(c)) return std::nullopt;
    out[i] = static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace smimegw::policy
