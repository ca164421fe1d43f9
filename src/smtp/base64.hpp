// smtp: base64 for AUTH (RFC 4954 §4). Strict decoding: padding required, no whitespace.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smimegw::smtp {

std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);

}  // namespace smimegw::smtp
