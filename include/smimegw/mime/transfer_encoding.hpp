// mime: Content-Transfer-Encoding (RFC 2045 §6): base64, quoted-printable, identity encodings.
#pragma once

#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"

namespace smimegw::mime {

/// Decodes base64, skipping whitespace. Non-strict: other junk is skipped and a truncated final
/// quantum is decoded as far as possible. Strict: junk, bad padding or truncation → bad_base64.
core::Result<std::string> decode_base64(std::string_view in, bool strict = false);
/// Base64 with CRLF every 76 characters (and a final CRLF when `final_crlf`).
std::string encode_base64(std::string_view in, bool final_crlf = true);
/// Appends the base64 of `in` (76-column lines) to `out`, growing it once.
void append_base64(std::string& out, std::string_view in, bool final_crlf = true);
/// Decodes quoted-printable; soft breaks removed, invalid escapes kept literally, trailing
/// whitespace on lines dropped (RFC 2045 §6.7 rule 3).
std::string decode_quoted_printable(std::string_view in);
/// Encodes text as quoted-printable: line breaks (CRLF or LF) become CRLF, lines ≤ 76.
std::string encode_quoted_printable(std::string_view in);
/// Decodes by CTE name (case-insensitive); 7bit/8bit/binary/absent are identity.
/// Unknown encodings → unsupported_encoding.
core::Result<std::string> decode_transfer(std::string_view body, std::string_view cte,
                                          bool strict = false);
/// Encodes by CTE name; 7bit/8bit line breaks are made canonical CRLF, binary is unchanged.
core::Result<std::string> encode_transfer(std::string_view data, std::string_view cte);

}  // namespace smimegw::mime
