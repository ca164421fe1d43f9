// mime: the content of a part, decoded (transfer encoding, then charset for text).
#pragma once

#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

/// The part's body with its Content-Transfer-Encoding removed (bad_base64 only when `strict`).
core::Result<std::string> decode_body(const Message& msg, const Part& part, bool strict = false);
/// A text part's body as UTF-8 (transfer decoding + charset conversion).
core::Result<std::string> decode_text(const Message& msg, const Part& part);
/// Depth-first search for the first part (the root included) whose type is `type/subtype`.
const Part* find_part(const Part& root, std::string_view type, std::string_view subtype);

}  // namespace smimegw::mime
