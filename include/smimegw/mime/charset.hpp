// mime: charset conversion through GMime's iconv wrapper (charset aliases, e.g. "latin1").
#pragma once

#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"

namespace smimegw::mime {

/// Converts `in` from `charset` to UTF-8. Unknown charset → unknown_charset; invalid bytes →
/// bad_charset. "us-ascii"/"utf-8" are validated only.
core::Result<std::string> to_utf8(std::string_view in, std::string_view charset);
/// Converts UTF-8 to `charset`; a character the charset cannot represent → bad_charset.
core::Result<std::string> from_utf8(std::string_view utf8, std::string_view charset);
bool is_ascii(std::string_view s);

}  // namespace smimegw::mime
