// mailbox (private): text clean-up for JSON-bound strings.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace smimegw::mailbox::detail {

/// `s` with invalid UTF-8 sequences replaced by U+FFFD and C0 controls other than TAB/LF/CR
/// dropped (JSON strings must be valid UTF-8; raw 8-bit headers are not always).
std::string clean_utf8(std::string_view s);
/// The first `max_chars` code points of valid UTF-8 `s`.
std::string utf8_prefix(std::string_view s, std::size_t max_chars);
/// Runs of whitespace (incl. line breaks) collapsed to one space, trimmed.
std::string collapse_space(std::string_view s);
/// Text of an HTML fragment: tags, comments, <script>/<style> content dropped; the common
/// entities (&amp; &lt; &gt; &quot; &#39; &nbsp; &#N;) decoded. For previews, not for display.
std::string html_to_text(std::string_view html);

}  // namespace smimegw::mailbox::detail
