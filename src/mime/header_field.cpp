// mime: header field helpers (RFC 5322 §2.2.3 unfolding).
#include "smimegw/mime/header_field.hpp"

#include <cctype>

namespace smimegw::mime {

std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') out.push_back(c);
  std::size_t b = out.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  std::size_t e = out.find_last_not_of(" \t");
  return out.substr(b, e - b + 1);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string HeaderField::unfolded(std::string_view buf) const {
  return unfold(raw_value(buf));
}

}  // namespace smimegw::mime
