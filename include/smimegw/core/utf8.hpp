// core: UTF-8 validation (RFC 3629) for text that the gateway takes from operators and peers and
// writes again (configuration values, MIME text after charset conversion).
#pragma once

#include <string_view>

namespace smimegw::core {

/// True when `s` is well-formed UTF-8: no overlong forms, no surrogates (U+D800..U+DFFF), nothing
/// above U+10FFFF, no truncated sequence. ASCII is valid; so is the empty string.
bool valid_utf8(std::string_view s);

}  // namespace smimegw::core
