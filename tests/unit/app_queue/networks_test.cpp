// smtp.inbound.relay_networks: CIDR parsing and matching, and the inbound intake that uses it.
#include "smimegw/transport/networks.hpp"

#include <catch2/catch.hpp>

#include "queue_fixture.hpp"

using namespace qtest;
using smimegw::transport::Networks;

TEST_CASE("relay networks: CIDR blocks match IPv4, IPv6 and IPv4-mapped peers") {
  auto n = Networks::parse({"10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "172.16.0.0/12"});
  REQUIRE(n.ok());
  CHECK(n->contains("10.1.2.3"));
  CHECK(n->contains("::ffff:10.200.0.1"));
  CHECK(n->contains("192.168.1.7"));
  CHECK_FALSE(n->contains("192.168.1.8"));
  CHECK(n->contains("2001:db8:1::5"));
  CHECK_FALSE(n->contains("2001:db9::1"));
  CHECK(n->contains("172.31.255.255"));
  CHECK_FALSE(n->contains("172.32.0.0"));
  CHECK_FALSE(n->contains("11.0.0.1"));
  CHECK_FALSE(n->contains("not-an-ip"));
  CHECK_FALSE(Networks().contains("127.0.0.1"));
}

TEST_CASE("relay networks: bad blocks are refused with the entry named") {
  for (const char* bad :
       {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "host.example", "1.2.3.4/x"}) {
    auto n = Networks::parse({"127.0.0.0/8", bad});
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().code == "bad_network");
    CHECK(n.error().message.find(bad) != std::string::npos);
  }
}

TEST_CASE("inbound intake lets clients in relay networks relay, everyone else not") {
  Fixture f;
  auto nets = Networks::parse({"10.0.0.0/8"});
  REQUIRE(nets.ok());
  transport::Intake in(
      f.queue, f.users,
      {.source = "inbound", .accepted_domains = {"contoso.test"}, .relay_networks = *nets});
  auto env = envelope("app@internal.test", {});
  env.client_address = "10.9.8.7";
  CHECK(run(in.check_recipient(env, core::Recipient{"x@example.org", 0, ""})).accepted);
  env.client_address = "127.0.0.1";
  auto refused = run(in.check_recipient(env, core::Recipient{"x@example.org", 0, ""}));
  CHECK_FALSE(refused.accepted);
  CHECK(refused.reason.code == "relay_denied");
  // local recipients are still checked against the directory
  env.client_address = "10.9.8.7";
  CHECK(run(in.check_recipient(env, core::Recipient{"nobody@contoso.test", 0, ""})).reason.code ==
        "unknown_user");
  env.recipients.push_back({"x@example.org", 0, ""});
  auto r = run(in.accept(env, message("app@internal.test")));
  REQUIRE(r.ok());
  CHECK(f.sql1("SELECT route FROM queue_recipients") == "relay");
}
