#include "smimegw/core/time_format.hpp"

#include <catch2/catch.hpp>

TEST_CASE("time formats are UTC ISO 8601 and RFC 5322") {
  auto t = std::chrono::system_clock::time_point(
      std::chrono::seconds(1795409882));  // 2026-11-23T04:58:02Z
  CHECK(smimegw::core::iso8601_utc(t) == "2026-11-23T04:58:02Z");
  CHECK(smimegw::core::rfc5322_date(t) == "Mon, 23 Nov 2026 04:58:02 +0000");
  CHECK(smimegw::core::iso8601_utc({}) == "1970-01-01T00:00:00Z");
}
