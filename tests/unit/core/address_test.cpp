#include "smimegw/core/address.hpp"

#include <catch2/catch.hpp>

using smimegw::core::Address;

TEST_CASE("address parse lower-cases the domain and keeps the local part") {
  auto a = Address::parse("Alice.Smith@Contoso.TEST");
  REQUIRE(a.ok());
  CHECK(a->local() == "Alice.Smith");
  CHECK(a->domain() == "contoso.test");
  CHECK(a->key() == "alice.smith@contoso.test");
}

TEST_CASE("address parse rejects malformed input with bad_address") {
  for (const char* bad : {"", "noat", "@x.test", "a@", "a b@x.test", "a@x..test", "a@.x", "a@b@c",
                          "a\r\n@x.test", "<a@x.test>"}) {
    auto a = Address::parse(bad);
    INFO(bad);
    REQUIRE_FALSE(a.ok());
    CHECK(a.error().code == "bad_address");
  }
  CHECK_FALSE(Address::parse(std::string(65, 'a') + "@x.test").ok());
}

TEST_CASE("addresses compare case-insensitively") {
  CHECK(*Address::parse("Bob@X.test") == *Address::parse("bob@x.TEST"));
}
