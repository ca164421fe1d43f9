#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "queue_fixture.hpp"

using namespace qtest;

namespace {
std::string enqueue(Fixture& f, const std::string& from, std::vector<std::string> to,
                    const std::string& subject = "hello", unsigned notify = 0) {
  auto in = f.intake("inbound");
  auto env = envelope(from, to);
  for (auto& r : env.recipients) r.notify = notify;
  auto r = run(in.accept(env, message(from.empty() ? "x@example.test" : from, subject)));
  REQUIRE(r.ok());
  return r->queue_id;
}
}  // namespace

TEST_CASE(
    "local recipients land in their mailbox exactly once, proxies under the primary address") {
  Fixture f;
  enqueue(f, "s@example.test", {"alice@contoso.test", "a.smith@contoso.test", "bob@contoso.test"});
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  CHECK(run(w.run_once()) == 3);
  CHECK(run(w.run_once()) == 0);
  CHECK(f.sql1("SELECT count(*) FROM mailbox_messages WHERE mailbox = 'alice@contoso.test'") ==
        "2");
  CHECK(f.sql1("SELECT count(*) FROM mailbox_messages WHERE mailbox = 'bob@contoso.test'") == "1");
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'delivered'") == "3");
  CHECK(f.relay.calls.empty());
}

TEST_CASE("a local delivery repeated after a crash does not store a second copy") {
  Fixture f;
  enqueue(f, "s@example.test", {"bob@contoso.test"});
  auto claimed = run(f.queue.claim("crashing-instance", std::chrono::seconds(300), 10));
  REQUIRE(claimed.ok());
  REQUIRE(claimed->size() == 1);
  // the first instance stored the copy but "crashed" before recording the outcome
  f.sql(
      "INSERT INTO mailbox_messages (mailbox, queue_recipient_id, queue_id, size_bytes, body) "
      "SELECT 'bob@contoso.test', id, 'x', 1, 'x' FROM queue_recipients");
  f.sql("UPDATE queue_recipients SET lease_expires_at = now() - interval '1 second'");
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay,
                      f.worker_options("second-instance"));
  CHECK(run(w.run_once()) == 1);
  CHECK(f.sql1("SELECT count(*) FROM mailbox_messages") == "1");
  CHECK(f.sql1("SELECT state FROM queue_recipients") == "delivered");
}

TEST_CASE("claims are exclusive until the lease expires, and a lost lease cannot overwrite") {
  Fixture f;
  enqueue(f, "s@example.test", {"x@example.org", "y@example.org"});
  auto a = run(f.queue.claim("instance-a", std::chrono::seconds(300), 10));
  auto b = run(f.queue.claim("instance-b", std::chrono::seconds(300), 10));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == 2);
  CHECK(b->empty());
  f.sql("UPDATE queue_recipients SET lease_expires_at = now() - interval '1 second'");
  auto b2 = run(f.queue.claim("instance-b", std::chrono::seconds(300), 10));
  REQUIRE(b2.ok());
  REQUIRE(b2->size() == 2);
  // instance-a comes back late: its outcome must not count
  REQUIRE(run(f.queue.mark_delivered((*a)[0].id, "instance-a", "250 late", false)).ok());
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'pending'") == "2");
  REQUIRE(run(f.queue.mark_delivered((*b2)[0].id, "instance-b", "250 ok", false)).ok());
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'delivered'") == "1");
}

TEST_CASE("relay recipients of one message go to the smarthost in one transaction") {
  Fixture f;
  enqueue(f, "s@example.test", {"x@example.org", "y@example.net", "alice@contoso.test"});
  boost::asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  CHECK(run(w.run_once()) == 3);
  REQUIRE(f.relay.calls.size() == 1);
  CHECK(f.relay.calls[0].rcpts == std::vector<std::string>{"x@example.org", "y@example.net"});
  CHECK(f.relay.calls[0].mail_from == "s@example.test");
  CHECK(f.relay.calls[0].dest.key() == "127.0.0.1:2525");
  CHECK(f.relay.calls[0].body.find("Subject: hello") != std::string::npos);
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'delivered'") == "3");
}

TEST_CASE("temporary failures are retried with backoff, then succeed") {
  Fixture f;
  enqueue(f, "s@example.test", {"x@example.org"});
  boost::asio::io_context io;
  f.relay.answer = {false, false, "451 4.4.1 try later"};
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  CHECK(run(w.run_once()) == 1);
  CHECK(f.sql1("SELECT state || ' ' || attempts FROM queue_recipients") == "pending 1");
  CHECK(
      f.sql1(
          "SELECT (next_attempt_at > now() + interval '50 seconds')::text FROM queue_recipients") ==
      "true");
  CHECK(f.sql1("SELECT last_reply FROM queue_recipients") == "451 4.4.1 try later");
  CHECK(run(w.run_once()) == 0);  // not due yet
  f.sql("UPDATE queue_recipients SET next_attempt_at = now()");
  f.relay.answer = {true, false, "250 2.0.0 queued"};
  CHECK(run(w.run_once()) == 1);
  CHECK(f.sql1("SELECT state || ' ' || attempts FROM queue_recipients") == "delivered 2");
  CHECK(f.relay.calls.size() == 2);
}

TEST_CASE("a permanent failure produces an RFC 3464 DSN to the sender") {
  Fixture f;
  auto qid = enqueue(f, "alice@contoso.test", {"x@example.org"}, "lost-mail");
  boost::asio::io_context io;
  f.relay.answer = {false, true, "550 5.1.1 <x@example.org>: no such user"};
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  CHECK(f.sql1("SELECT state || ' ' || dsn_state FROM queue_recipients r JOIN queue_messages m ON "
               "m.id = r.message_id "
               "WHERE m.queue_id = '" +
               qid + "'") == "failed sent");
  // the DSN is a new queue message from the null sender, routed locally to alice
  CHECK(f.sql1("SELECT mail_from || '|' || source FROM queue_messages WHERE source = 'dsn'") ==
        "|dsn");
  run(w.run_once());
  auto dsn = f.sql1(
      "SELECT convert_from(body, 'UTF8') FROM mailbox_messages WHERE mailbox = "
      "'alice@contoso.test'");
  CHECK(dsn.find("Content-Type: multipart/report; report-type=delivery-status;") !=
        std::string::npos);
  CHECK(dsn.find("Content-Type: message/delivery-status") != std::string::npos);
  CHECK(dsn.find("Reporting-MTA: dns; mx.contoso.test") != std::string::npos);
  CHECK(dsn.find("Final-Recipient: rfc822; x@example.org") != std::string::npos);
  CHECK(dsn.find("Action: failed") != std::string::npos);
  CHECK(dsn.find("Status: 5.1.1") != std::string::npos);
  CHECK(dsn.find("Diagnostic-Code: smtp; 550 5.1.1 <x@example.org>: no such user") !=
        std::string::npos);
  CHECK(dsn.find("Subject: lost-mail") != std::string::npos);  // the original is attached
  CHECK(dsn.find("Auto-Submitted: auto-replied") != std::string::npos);
}

TEST_CASE("no DSN to the null sender, nor when NOTIFY=NEVER") {
  Fixture f;
  enqueue(f, "", {"x@example.org"}, "bounce-of-bounce");
  enqueue(f, "alice@contoso.test", {"y@example.org"}, "never", transport::kNotifyNever);
  boost::asio::io_context io;
  f.relay.answer = {false, true, "550 5.1.1 no"};
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  run(w.run_once());
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients WHERE state = 'failed' AND dsn_state = "
               "'suppressed'") == "2");
  CHECK(f.sql1("SELECT count(*) FROM queue_messages WHERE source = 'dsn'") == "0");
}

TEST_CASE("a message older than the maximum age fails instead of being retried") {
  Fixture f;
  enqueue(f, "alice@contoso.test", {"x@example.org"});
  f.sql("UPDATE queue_messages SET received_at = now() - interval '3 days'");
  boost::asio::io_context io;
  f.relay.answer = {false, false, "421 4.4.2 connection dropped"};
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, f.worker_options());
  run(w.run_once());
  CHECK(f.sql1("SELECT state FROM queue_recipients r JOIN queue_messages m ON m.id = r.message_id "
               "WHERE m.source = 'inbound'") == "failed");
  CHECK(f.sql1("SELECT last_reply FROM queue_recipients r JOIN queue_messages m ON m.id = "
               "r.message_id WHERE m.source = 'inbound'")
            .find("gave up") != std::string::npos);
}

TEST_CASE("without a route external mail waits in the queue with a reason") {
  Fixture f;
  enqueue(f, "s@example.test", {"x@example.org"});
  boost::asio::io_context io;
  auto opts = f.worker_options();
  opts.smarthost.reset();
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, opts);
  run(w.run_once());
  CHECK(f.sql1("SELECT state FROM queue_recipients") == "pending");
  CHECK(f.sql1("SELECT last_reply FROM queue_recipients").find("no route to example.org") !=
        std::string::npos);
}

TEST_CASE("queue admin: retry makes failed recipients pending again, delete removes") {
  Fixture f;
  auto qid = enqueue(f, "s@example.test", {"x@example.org"});
  f.sql("UPDATE queue_recipients SET state = 'failed', dsn_state = 'sent'");
  auto n = run(f.queue.retry(qid));
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(f.sql1("SELECT state || ' ' || dsn_state FROM queue_recipients") == "pending none");
  CHECK(run(f.queue.retry("NOSUCHID")).error().code == "not_found");
  REQUIRE(run(f.queue.remove(qid)).ok());
  CHECK(f.sql1("SELECT count(*) FROM queue_recipients") == "0");
  CHECK(run(f.queue.remove(qid)).error().code == "not_found");
  auto listed = run(f.queue.list(false, 10));
  REQUIRE(listed.ok());
  CHECK(listed->empty());
}
