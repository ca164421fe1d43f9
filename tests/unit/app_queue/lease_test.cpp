// Lease heartbeat: a delivery slower than half the lease extends it (owner-checked), so another
// instance cannot take the recipient over while the first is still delivering.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <catch2/catch.hpp>

#include "queue_fixture.hpp"

using namespace qtest;
namespace asio = boost::asio;

TEST_CASE("extend_lease extends only the leases its owner still holds") {
  Fixture f;
  auto in = f.intake("inbound");
  REQUIRE(
      run(in.accept(envelope("s@example.test", {"alice@contoso.test"}), message("s@example.test")))
          .ok());
  auto a = run(f.queue.claim("instance-a", std::chrono::seconds(10), 10));
  REQUIRE(a.ok());
  REQUIRE(a->size() == 1);
  std::vector<std::int64_t> ids{(*a)[0].id};
  auto n = run(f.queue.extend_lease(ids, "instance-a", std::chrono::seconds(600)));
  REQUIRE(n.ok());
  CHECK(*n == 1);
  CHECK(f.sql1("SELECT (lease_expires_at > now() + interval '500 seconds')::text FROM "
               "queue_recipients") == "true");
  CHECK(*run(f.queue.extend_lease(ids, "instance-b", std::chrono::seconds(600))) == 0);
  f.sql("UPDATE queue_recipients SET lease_expires_at = now() - interval '1 second'");
  auto b = run(f.queue.claim("instance-b", std::chrono::seconds(10), 10));
  REQUIRE(b->size() == 1);
  CHECK(*run(f.queue.extend_lease(ids, "instance-a", std::chrono::seconds(600))) == 0);
  CHECK(f.sql1("SELECT lease_owner FROM queue_recipients") == "instance-b");
}

TEST_CASE("a slow delivery keeps its lease by heartbeat: no second instance takes it over") {
  Fixture f;
  auto in = f.intake("inbound");
  REQUIRE(run(in.accept(envelope("s@example.test", {"x@example.org"}), message("s@example.test")))
              .ok());
  f.relay.delay = std::chrono::milliseconds(5500);  // well past the 2 s lease
  auto opts = f.worker_options("slow-instance");
  opts.lease = std::chrono::seconds(2);
  asio::io_context io;
  transport::Worker w(io.get_executor(), f.queue, f.users, &f.relay, opts);
  int handled = -1;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { handled = co_await w.run_once(); }, asio::detached);
  // a second instance polls for due work every 250 ms while the first delivers
  int stolen = 0, polls = 0;
  bool done = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer t(io);
        while (handled < 0) {
          t.expires_after(std::chrono::milliseconds(250));
          co_await t.async_wait(asio::use_awaitable);
          auto c = co_await f.queue.claim("other-instance", std::chrono::seconds(60), 10);
          if (c) stolen += static_cast<int>(c->size());
          ++polls;
        }
        done = true;
      },
      asio::detached);
  io.run();
  CHECK(done);
  CHECK(handled == 1);
  CHECK(polls >= 15);
  CHECK(stolen == 0);
  CHECK(f.relay.calls.size() == 1);
  CHECK(f.sql1("SELECT state || ' ' || attempts FROM queue_recipients") == "delivered 1");
}
