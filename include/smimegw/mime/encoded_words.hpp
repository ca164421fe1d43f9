// mime: RFC 2047 encoded words in header values.
#pragma once

#include <string>
#include <string_view>

namespace smimegw::mime {

/// Decodes encoded words (=?charset?B|Q?...?=) in an unfolded unstructured value to UTF-8
/// (whitespace between adjacent words dropped; their bytes are joined per charset before
/// conversion). Undecodable words are kept as written.
std::string decode_header_text(std::string_view value);
/// Encodes a UTF-8 value for an unstructured header: ASCII stays as is; otherwise base64
/// encoded words of UTF-8, each ≤ 75 characters, separated by folding CRLF SP. `first_line_used`
/// is how many columns precede the value on its first line ("Subject: " = 9), so that line stays
/// ≤ 78 too.
std::string encode_header_text(std::string_view utf8, std::size_t first_line_used = 0);

}  // namespace smimegw::mime
