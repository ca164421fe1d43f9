// mailbox: RFC 5322 §3.3 date-time parsing for Graph's sentDateTime (the Date header), including
// the obsolete forms of §4.3 (two-digit years, named zones, missing seconds, no day name).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace smimegw::mailbox {

/// Unix seconds (UTC) of an RFC 5322 date-time, or nullopt when it cannot be read. Comments and
/// extra whitespace are tolerated; input past 256 bytes is refused.
std::optional<std::int64_t> parse_rfc5322_date(std::string_view value);

}  // namespace smimegw::mailbox
