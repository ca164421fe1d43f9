#include "smimegw/core/result.hpp"

#include <catch2/catch.hpp>
#include <string>

using smimegw::core::Error;
using smimegw::core::Result;
using smimegw::core::Status;

static Result<int> half(int x) {
  if (x % 2) return Error::make("odd", "not even");
  return x / 2;
}

TEST_CASE("result carries a value or an error") {
  auto a = half(4);
  REQUIRE(a.ok());
  CHECK(*a == 2);
  auto b = half(3);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "odd");
  CHECK_FALSE(b.error().temporary);
  CHECK_THROWS(b.value());
}

TEST_CASE("status defaults to success and carries transient errors") {
  Status s;
  CHECK(s.ok());
  Status t = Error::transient("db_down", "database unavailable");
  CHECK_FALSE(t.ok());
  CHECK(t.error().temporary);
}
