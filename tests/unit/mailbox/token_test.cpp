// Delta tokens: opaque, tamper-evident, bound to mailbox and folder, expiring; and the isolation of
// mailboxes in every read.
#include "mailbox_fixture.hpp"

using namespace mbtest;

namespace {
std::string code_of(Fixture& fx, const std::string& box, const std::string& token,
                    Folder f = Folder::Inbox) {
  auto r = run(fx.service.delta(box, f, token, 10));
  return r.ok() ? "ok" : r.error().code;
}
}  // namespace

TEST_CASE("token codec round-trips and refuses every altered byte") {
  mailbox::TokenCodec codec(test_key());
  mailbox::SyncPosition pos{mailbox::TokenKind::Next, 123456789, 1790000000};
  const auto t = codec.encode("alice@contoso.test", "inbox", pos);
  CHECK(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  auto back = codec.decode(t, "alice@contoso.test", "inbox");
  REQUIRE(back.ok());
  CHECK(back->kind == mailbox::TokenKind::Next);
  CHECK(back->cursor == 123456789);
  CHECK(back->issued_at == 1790000000);
  auto raw = *mailbox::unbase64url(t);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto r = codec.decode(mailbox::base64url(bad), "alice@contoso.test", "inbox");
    INFO("byte " << i);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "resync_required");
  }
  CHECK(codec.decode(t, "bob@contoso.test", "inbox").error().code == "resync_required");
  CHECK(codec.decode(t, "alice@contoso.test", "sentitems").error().code == "resync_required");
  CHECK(mailbox::TokenCodec(test_key(8)).decode(t, "alice@contoso.test", "inbox").error().code ==
        "resync_required");
  for (const std::string& junk :
       std::vector<std::string>{"", "x", "!!!!", std::string(500, 'A'), t.substr(0, t.size() - 1)})
    CHECK(codec.decode(junk, "alice@contoso.test", "inbox").error().code == "resync_required");
}

TEST_CASE("the token key is HKDF of the KEK: stable, and different for another KEK") {
  const std::vector<std::uint8_t> kek(32, 1);
  CHECK(mailbox::derive_token_key(kek) == mailbox::derive_token_key(kek));
  CHECK(mailbox::derive_token_key(kek).size() == 32);
  CHECK(mailbox::derive_token_key(kek) !=
        mailbox::derive_token_key(std::vector<std::uint8_t>(32, 2)));
  CHECK(mailbox::derive_token_key(kek) != kek);
  CHECK_THROWS(mailbox::TokenCodec(std::vector<std::uint8_t>(16, 0)));
}

TEST_CASE("tampered, foreign, expired and future tokens are resync_required") {
  Fixture fx;
  fx.deliver("alice@contoso.test", simple_message("a1"));
  fx.deliver("bob@contoso.test", simple_message("b1", "bob@contoso.test"));
  auto alice = fx.delta("alice@contoso.test", std::nullopt);
  auto bob = fx.delta("bob@contoso.test", std::nullopt);
  CHECK(code_of(fx, "alice@contoso.test", alice.token) == "ok");

  std::string tampered = alice.token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  CHECK(code_of(fx, "alice@contoso.test", tampered) == "resync_required");
  CHECK(code_of(fx, "alice@contoso.test", bob.token) == "resync_required");  // bob's token
  CHECK(code_of(fx, "alice@contoso.test", "garbage") == "resync_required");

  // another server key (another deployment)
  mailbox::Service other(fx.store, mailbox::TokenCodec(test_key(9)), fx.clock, fx.options);
  auto r = run(other.delta("alice@contoso.test", Folder::Inbox, alice.token, 10));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "resync_required");

  // too old
  fx.clock.advance(std::chrono::seconds(fx.options.token_max_age_s - 60));
  CHECK(code_of(fx, "alice@contoso.test", alice.token) == "ok");
  fx.clock.advance(std::chrono::seconds(120));
  CHECK(code_of(fx, "alice@contoso.test", alice.token) == "resync_required");

  // a well-signed cursor ahead of this database's feed (a restored or another database)
  mailbox::TokenCodec codec(test_key());
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(fx.clock.now().time_since_epoch()).count();
  const auto ahead =
      codec.encode("alice@contoso.test", "inbox", {mailbox::TokenKind::Delta, 1'000'000, now});
  CHECK(code_of(fx, "alice@contoso.test", ahead) == "resync_required");
}

TEST_CASE("mailboxes are isolated: another user's id is not_found for every read and removal") {
  Fixture fx;
  const auto bob_id = mailbox::message_id_string(
      fx.deliver("bob@contoso.test", simple_message("secret", "bob@contoso.test")));
  const auto alice_id =
      mailbox::message_id_string(fx.deliver("alice@contoso.test", simple_message("mine")));
  const std::string a = "alice@contoso.test";
  auto expect_not_found = [](const auto& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "not_found");
  };
  expect_not_found(run(fx.service.get(a, bob_id, mailbox::BodyPreference::Html)));
  expect_not_found(run(fx.service.raw(a, bob_id)));
  expect_not_found(run(fx.service.headers(a, bob_id)));
  expect_not_found(run(fx.service.attachments(a, bob_id)));
  expect_not_found(run(fx.service.attachment(a, bob_id, mailbox::attachment_id_string(0))));
  expect_not_found(run(fx.service.remove(a, bob_id)));
  for (const std::string& bad :
       std::vector<std::string>{"", "AAAA", "not-an-id", "AQAAAAAAAAAA", alice_id + "A"})
    expect_not_found(run(fx.service.get(a, bad, mailbox::BodyPreference::Html)));
  // bob's message is untouched and alice's feed never shows it
  CHECK(run(fx.service.raw("bob@contoso.test", bob_id)).ok());
  auto page = fx.delta(a, std::nullopt, 50);
  REQUIRE(page.changes.size() == 1);
  CHECK(page.changes[0].summary.id == alice_id);
}

TEST_CASE("message ids and attachment ids are opaque and round-trip") {
  for (std::int64_t id : {std::int64_t{1}, std::int64_t{42}, std::int64_t{1} << 40, INT64_MAX}) {
    const auto s = mailbox::message_id_string(id);
    CHECK(mailbox::parse_message_id(s) == id);
  }
  CHECK_FALSE(mailbox::parse_message_id(mailbox::attachment_id_string(3)));
  CHECK(mailbox::parse_attachment_id(mailbox::attachment_id_string(3)) == 3u);
  CHECK_FALSE(mailbox::parse_attachment_id(mailbox::message_id_string(3)));
  CHECK_FALSE(mailbox::parse_message_id("AQAAAAAAAAAB="));
  // a second spelling of the same bytes (non-zero trailing bits) is refused
  const auto s = mailbox::message_id_string(5);
  CHECK(mailbox::unbase64url(s));
}

TEST_CASE("purge deletes old removals and their tombstones, keeps recent ones") {
  Fixture fx;
  const std::string box = "alice@contoso.test";
  const auto old_id = mailbox::message_id_string(fx.deliver(box, simple_message("old")));
  const auto new_id = mailbox::message_id_string(fx.deliver(box, simple_message("new")));
  fx.deliver(box, simple_message("live"));
  REQUIRE(run(fx.service.remove(box, old_id)).ok());
  REQUIRE(run(fx.service.remove(box, new_id)).ok());
  fx.sql1(
      "WITH u AS (UPDATE mailbox_messages SET removed_at = now() - interval '40 days' WHERE "
      "message_id = '' AND convert_from(body, 'UTF8') LIKE '%Subject: old%' RETURNING 1) "
      "SELECT count(*) FROM u");
  fx.sql1(
      "WITH u AS (UPDATE mailbox_changes SET changed_at = now() - interval '40 days' WHERE "
      "message_id = " +
      std::to_string(*mailbox::parse_message_id(old_id)) + " RETURNING 1) SELECT count(*) FROM u");
  auto n = run(fx.service.purge());
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(fx.sql1("SELECT count(*) FROM mailbox_messages") == "2");
  CHECK(fx.sql1("SELECT count(*) FROM mailbox_changes WHERE removed") == "1");
  auto page = fx.delta(box, std::nullopt, 10);
  REQUIRE(page.changes.size() == 1);
  CHECK(page.changes[0].summary.subject == "live");
}
