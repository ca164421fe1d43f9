// Delay DSNs (once per recipient, NOTIFY honoured) and success DSNs (NOTIFY=SUCCESS: "delivered"
// locally, "relayed" to a next hop without DSN, none when the hop takes NOTIFY over).
#include "smimegw/transport/dsn.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "queue_fixture.hpp"

using namespace qtest;

namespace {

struct Rcpt {
  std::string address;
  unsigned notify = 0;
  std::string orcpt;
};

std::string enqueue(Fixture& f, const std::string& from, std::vector<Rcpt> to,
                    const std::string& subject) {
  auto in = f.intake("submission");
  auto env = envelope(from, {}, "alice@contoso.test");
  for (const auto& r : to) env.recipients.push_back({r.address, r.notify, r.orcpt});
  env.envid = "env-" + subject;
  auto r = run(in.accept(env, message(from, subject)));
  REQUIRE(r.ok());
  return r->queue_id;
}

std::string dsn_body(Fixture& f) {
  return f.sql1(
      "SELECT convert_from(body, 'UTF8') FROM queue_messages WHERE source = 'dsn' ORDER BY id "
      "LIMIT 1");
}

bool has(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("a delay DSN goes out once per recipient after delay_dsn_after, honouring NOTIFY") {
  Fixture f;
  enqueue(f, "alice@contoso.test",
          {{"x@example.org", 0, ""},
           {"y@example.org", transport::kNotifyFailure, ""},
           {"z@example.org", transport::kNotifyDelay | transport::kNotifyFailure,
            "rfc822;Z@Example.org"}},
          "slow");
  f.sql("UPDATE queue_messages SET received_at = now() - interval '5 hours'");
  f.relay.answer = {false, false, "451 4.4.1 mailbox busy"};
  auto opts = f.worker_options();
  opts.delay_dsn_after = std::chrono::hours(4);
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, opts);
  CHECK(run(w.run_once()) == 3);
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "1");
  CHECK(f.sql1("SELECT string_agg(address || ':' || dsn_state, ' ' ORDER BY address) FROM "
               "queue_recipients r JOIN queue_messages m ON m.id = r.message_id WHERE m.source = "
               "'submission'") ==
        "x@example.org:delay_sent y@example.org:none "
        "z@example.org:delay_sent");
  auto dsn = dsn_body(f);
  CHECK(has(dsn, "Subject: Delayed Mail (still being retried)"));
  CHECK(has(dsn, "Final-Recipient: rfc822; x@example.org\r\nAction: delayed\r\nStatus: 4.4.1"));
  CHECK(has(dsn,
            "Original-Recipient: rfc822; Z@Example.org\r\nFinal-Recipient: rfc822; "
            "z@example.org\r\nAction: delayed"));
  CHECK_FALSE(has(dsn, "y@example.org"));
  CHECK(has(dsn, "Original-Envelope-Id: env-slow"));
  CHECK(has(dsn, "Will-Retry-Until: "));
  CHECK(has(dsn, "Content-Type: text/rfc822-headers"));  // headers only
  CHECK_FALSE(has(dsn, "body line"));

  // the next failed attempts send no second delay DSN
  for (int i = 0; i < 2; ++i) {
    f.sql("UPDATE queue_recipients SET next_attempt_at = now() WHERE state = 'pending'");
    run(w.run_once());
  }
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "1");
  CHECK(f.sql1("SELECT min(attempts) FROM queue_recipients r JOIN queue_messages m ON m.id = "
               "r.message_id WHERE m.source = 'submission'") == "3");
}

TEST_CASE("no delay DSN before the delay, when switched off, to the null sender or NOTIFY=NEVER") {
  Fixture f;
  enqueue(f, "alice@contoso.test", {{"x@example.org", 0, ""}}, "recent");
  enqueue(f, "alice@contoso.test", {{"n@example.org", transport::kNotifyNever, ""}}, "never");
  f.sql(
      "UPDATE queue_messages SET received_at = now() - interval '5 hours' WHERE message_id = "
      "'<never@test>'");
  f.relay.answer = {false, false, "451 4.4.1 later"};
  auto opts = f.worker_options();
  opts.delay_dsn_after = std::chrono::hours(4);
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, opts);
  run(w.run_once());
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "0");

  f.sql("UPDATE queue_messages SET received_at = now() - interval '5 hours'");
  f.sql("UPDATE queue_recipients SET next_attempt_at = now()");
  opts.delay_dsn_after = std::chrono::seconds(0);
  transport::Worker off(io.get_executor(), f.queue, f.users, &f.relay, opts);
  run(off.run_once());
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "0");
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE dsn_state = 'none'") == "2");
}

TEST_CASE("NOTIFY=SUCCESS: delivered locally and relayed to a hop without DSN are reported") {
  Fixture f;
  enqueue(f, "alice@contoso.test",
          {{"bob@contoso.test", transport::kNotifySuccess, ""},
           {"x@example.org", transport::kNotifySuccess | transport::kNotifyFailure,
            "rfc822;x@example.org"},
           {"quiet@example.org", 0, ""}},
          "track-me");
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  // the relay passed NOTIFY, ORCPT and ENVID on (the hop may or may not use them)
  REQUIRE(f.relay.calls.size() == 1);
  const auto& env = f.relay.calls[0].env;
  CHECK(env.envid == "env-track-me");
  REQUIRE(env.rcpts.size() == 2);
  CHECK(env.rcpts[0].notify == (transport::kNotifySuccess | transport::kNotifyFailure));
  CHECK(env.rcpts[0].orcpt == "rfc822;x@example.org");
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "1");
  auto dsn = dsn_body(f);
  CHECK(has(dsn, "Subject: Successful Mail Delivery Report"));
  CHECK(has(dsn, "Final-Recipient: rfc822; bob@contoso.test\r\nAction: delivered\r\nStatus: 2."));
  CHECK(has(dsn, "Final-Recipient: rfc822; x@example.org\r\nAction: relayed\r\nStatus: 2.0.0"));
  CHECK_FALSE(has(dsn, "quiet@example.org"));
  CHECK(has(dsn, "Content-Type: text/rfc822-headers"));
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE dsn_state = 'sent'") == "2");
}

TEST_CASE("NOTIFY=SUCCESS to a next hop with DSN: the hop reports, the gateway does not") {
  Fixture f;
  enqueue(f, "alice@contoso.test", {{"x@example.org", transport::kNotifySuccess, ""}}, "hop-dsn");
  f.relay.answer = {true, false, "250 2.0.0 ok", true};
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  run(w.run_once());
  CHECK(f.sql1("SELECT state || ' ' || dsn_state FROM queue_recipients") == "delivered none");
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "0");
}

TEST_CASE("a failure and a success of one message give two separate DSNs") {
  Fixture f;
  enqueue(f, "alice@contoso.test",
          {{"bob@contoso.test", transport::kNotifySuccess, ""}, {"nobody@contoso.test", 0, ""}},
          "mixed");
  f.sql("DELETE FROM users WHERE address = 'bob@contoso.test'");  // mailbox gone by delivery time
  f.sql("UPDATE queue_recipients SET notify = 3");                // SUCCESS,FAILURE for both
  f.sql("INSERT INTO users (address) VALUES ('nobody@contoso.test')");  // this one can be delivered
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "2");
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn' AND convert_from(body, "
               "'UTF8') LIKE '%Action: failed%' AND convert_from(body, 'UTF8') NOT LIKE "
               "'%Action: delivered%'") == "1");
}
