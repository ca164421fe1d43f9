// core: the two time formats the gateway writes: ISO 8601 UTC (logs, JSON, CLI listings) and the
// RFC 5322 date-time (Date:, Received:, DSN fields). Both UTC, independent of the process locale's
// time zone (strftime in the "C" locale, which the daemon never changes).
#pragma once

#include <chrono>
#include <string>

namespace smimegw::core {

/// "2026-11-23T04:58:02Z"
std::string iso8601_utc(std::chrono::system_clock::time_point t);

/// "Mon, 23 Nov 2026 04:58:02 +0000"
std::string rfc5322_date(std::chrono::system_clock::time_point t);

}  // namespace smimegw::core
