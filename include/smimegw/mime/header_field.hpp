// mime: one header field as it appears in the original bytes.
#pragma once

#include <string>
#include <string_view>

#include "smimegw/mime/byte_range.hpp"

namespace smimegw::mime {

struct HeaderField {
  std::string name;  ///< as written (compare with iequals)
  ByteRange field;   ///< the whole field including its final line break
  ByteRange value;   ///< after the colon up to (excluding) the final line break; folding kept

  /// The raw value exactly as received (folding line breaks included).
  std::string_view raw_value(std::string_view buf) const { return value.slice(buf); }
  /// The value with folding removed (CRLF/LF before WSP dropped) and outer whitespace trimmed.
  std::string unfolded(std::string_view buf) const;
};

/// Removes folding line breaks and trims leading/trailing whitespace (RFC 5322 §2.2.3).
std::string unfold(std::string_view raw);
/// ASCII case-insensitive equality, for header names and parameters.
bool iequals(std::string_view a, std::string_view b);

}  // namespace smimegw::mime
