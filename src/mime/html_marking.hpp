// mime (private): HTML insertion helpers for marking.
#pragma once

#include <string>
#include <string_view>

namespace smimegw::mime::detail {

/// Escapes & < > " ' and turns line breaks into <br>.
std::string html_escape(std::string_view text);
/// Inserts `top` right after the `<body ...>` tag and `bottom` right before the last `</body`;
/// at the start / end of the document when there is no such tag.
std::string insert_html(std::string_view html, std::string_view top, std::string_view bottom);

}  // namespace smimegw::mime::detail
