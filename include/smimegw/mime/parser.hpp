// mime: the message parser (RFC 5322 header syntax, RFC 2045/2046 MIME structure).
#pragma once

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>

#include "smimegw/core/result.hpp"
#include "smimegw/mime/limits.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

/// Parses `raw` into a tree of parts with exact byte ranges. `raw` must outlive the result.
/// Tolerates bare LF, a missing close delimiter, junk lines in headers (they end the header block)
/// and missing boundaries (the multipart is then a leaf). Fails only on the limits
/// (message_too_large, header_too_long, too_many_headers, mime_too_deep, too_many_parts).
core::Result<Message> parse(std::string_view raw, const Limits& limits = {});
/// A temporary string would leave the Message's ranges dangling.
template <class S>
requires std::same_as<std::remove_cvref_t<S>, std::string> &&
    (!std::is_lvalue_reference_v<S>)core::Result<Message> parse(S&& raw,
                                                                const Limits& limits = {}) = delete;

}  // namespace smimegw::mime
