#include <catch2/catch.hpp>

#include "queue_fixture.hpp"

using namespace qtest;

TEST_CASE("inbound intake refuses relaying and unknown users, accepts users and proxy addresses") {
  Fixture f;
  auto in = f.intake("inbound");
  auto env = envelope("sender@example.test", {});
  auto verdict = [&](const std::string& rcpt) {
    return run(in.check_recipient(env, core::Recipient{rcpt, 0, ""}));
  };
  auto relay = verdict("victim@example.org");
  CHECK_FALSE(relay.accepted);
  CHECK(relay.reason.code == "relay_denied");
  auto unknown = verdict("nobody@contoso.test");
  CHECK_FALSE(unknown.accepted);
  CHECK(unknown.reason.code == "unknown_user");
  CHECK(verdict("gone@contoso.test").reason.code == "unknown_user");
  CHECK(verdict("Alice@Contoso.TEST").accepted);
  CHECK(verdict("a.smith@contoso.test").accepted);
  CHECK(verdict("not an address").reason.code == "bad_address");
}

TEST_CASE("an accepted message and its recipients are committed before the queue id is returned") {
  Fixture f;
  auto in = f.intake("inbound");
  auto r =
      run(in.accept(envelope("sender@example.test", {"alice@contoso.test", "bob@contoso.test"}),
                    message("sender@example.test")));
  REQUIRE(r.ok());
  CHECK(r->queue_id.size() == 16);
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE queue_id = '" + r->queue_id + "'") ==
        "1");
  CHECK(
      f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'pending' AND route = 'local'") ==
      "2");
  CHECK(f.sql1("SELECT message_id FROM queue_messages") == "<hello@test>");
  auto shown = run(f.queue.show(r->queue_id));
  REQUIRE(shown.ok());
  REQUIRE(*shown);
  CHECK((*shown)->recipients.size() == 2);
}

TEST_CASE("submission enforces that envelope sender and From belong to the authenticated user") {
  Fixture f;
  auto sub = f.intake("submission");
  auto ok =
      run(sub.accept(envelope("a.smith@contoso.test", {"x@example.org"}, "alice@contoso.test"),
                     message("Alice <alice@contoso.test>")));
  REQUIRE(ok.ok());
  CHECK(f.sql1("SELECT route FROM queue_recipients") == "relay");

  auto wrong_env =
      run(sub.accept(envelope("bob@contoso.test", {"x@example.org"}, "alice@contoso.test"),
                     message("alice@contoso.test")));
  REQUIRE_FALSE(wrong_env.ok());
  CHECK(wrong_env.error().code == "send_as_denied");

  auto wrong_from =
      run(sub.accept(envelope("alice@contoso.test", {"x@example.org"}, "alice@contoso.test"),
                     message("Bob <bob@contoso.test>")));
  REQUIRE_FALSE(wrong_from.ok());
  CHECK(wrong_from.error().code == "send_as_denied");
  CHECK(wrong_from.error().message.find("bob@contoso.test") != std::string::npos);

  auto no_auth = run(
      sub.accept(envelope("alice@contoso.test", {"x@example.org"}), message("alice@contoso.test")));
  REQUIRE_FALSE(no_auth.ok());
  CHECK(no_auth.error().code == "auth_required");
  CHECK(f.sql1("SELECT count(*) FROM queue_messages") == "1");
}

TEST_CASE("submission relays anywhere for an authenticated user only") {
  Fixture f;
  auto sub = f.intake("submission");
  auto env = envelope("alice@contoso.test", {});
  CHECK(run(sub.check_recipient(env, {"x@example.org", 0, ""})).reason.code == "auth_required");
  env.authenticated_user = "alice@contoso.test";
  CHECK(run(sub.check_recipient(env, {"x@example.org", 0, ""})).accepted);
}

TEST_CASE("a database outage at commit is a temporary error, never a success") {
  Fixture f;
  auto in = f.intake("inbound");
  f.sql("ALTER TABLE queue_messages RENAME TO queue_messages_gone");
  auto r =
      run(in.accept(envelope("s@example.test", {"alice@contoso.test"}), message("s@example.test")));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().temporary);
  CHECK(r.error().code == "queue_unavailable");
  f.sql("ALTER TABLE queue_messages_gone RENAME TO queue_messages");
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients") == "0");
}
