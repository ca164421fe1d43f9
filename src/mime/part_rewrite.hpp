// mime (private): rebuilding one leaf entity with a new body, transfer encoding and charset,
// keeping all of its other header fields verbatim (canonical CRLF).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smimegw/mime/message.hpp"

namespace smimegw::mime::detail {

/// Header fields of `p` + blank line + `encoded_body`. Content-Transfer-Encoding becomes `cte`
/// (added if missing and different from the part's); the charset parameter becomes `charset`
/// when given.
std::string rebuild_leaf(const Message& msg, const Part& p, std::string_view encoded_body,
                         std::string_view cte, const std::optional<std::string>& charset);

}  // namespace smimegw::mime::detail
