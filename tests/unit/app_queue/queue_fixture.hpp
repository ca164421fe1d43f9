// Shared fixture: a migrated scratch database, the PostgreSQL stores, and a relay double that
// answers as the test tells it.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <optional>

#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/transport/intake.hpp"
#include "smimegw/transport/worker.hpp"
#include "test_env.hpp"

namespace qtest {

using namespace smimegw;

using smimegw::test::run;

struct RecordingRelay : transport::RelayClient {
  struct Call {
    transport::Destination dest;
    std::string mail_from;
    std::vector<std::string> rcpts;
    std::string body;
    transport::RelayEnvelope env;
  };
  std::vector<Call> calls;
  transport::RelayResult answer{true, false, "250 2.0.0 ok"};
  std::chrono::milliseconds delay{0};  ///< a slow next hop
  boost::asio::awaitable<std::vector<transport::RelayResult>> deliver(transport::Destination dest,
                                                                      transport::RelayEnvelope env,
                                                                      std::string body) override {
    std::vector<std::string> rcpts;
    for (const auto& r : env.rcpts) rcpts.push_back(r.address);
    calls.push_back({dest, env.mail_from, rcpts, body, env});
    if (delay.count() > 0) {
      boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, delay);
      co_await t.async_wait(boost::asio::use_awaitable);
    }
    co_return std::vector<transport::RelayResult>(rcpts.size(), answer);
  }
};

struct Fixture {
  test::ScratchDatabase scratch;
  db::Pool pool{{.url = scratch.url()}, 2};
  db::PgQueueStore queue{pool};
  db::PgUserStore users{pool};
  RecordingRelay relay;

  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    directory::User alice;
    alice.address = "alice@contoso.test";
    alice.display_name = "Alice";
    alice.proxy_addresses = {"a.smith@contoso.test"};
    REQUIRE(run(users.create(alice)).ok());
    directory::User bob;
    bob.address = "bob@contoso.test";
    REQUIRE(run(users.create(bob)).ok());
    directory::User off;
    off.address = "gone@contoso.test";
    off.enabled = false;
    REQUIRE(run(users.create(off)).ok());
  }

  transport::Intake intake(const std::string& source) {
    return transport::Intake(queue, users,
                             {.source = source, .accepted_domains = {"contoso.test"}});
  }

  transport::WorkerOptions worker_options(const std::string& owner = "test-owner") {
    transport::WorkerOptions o;
    o.owner = owner;
    o.accepted_domains = {"contoso.test"};
    o.smarthost = transport::Destination{"127.0.0.1", 2525, "none"};
    o.dsn = {"mx.contoso.test", "Contoso"};
    return o;
  }

  std::string sql1(const std::string& q) {
    auto r =
        pool.transact_blocking([&](pqxx::work& tx) { return tx.exec1(q)[0].as<std::string>(); });
    REQUIRE(r.ok());
    return *r;
  }
  void sql(const std::string& q) {
    REQUIRE(pool.transact_blocking([&](pqxx::work& tx) { tx.exec0(q); }).ok());
  }
};

inline core::Envelope envelope(std::string from, std::vector<std::string> to,
                               std::optional<std::string> auth = std::nullopt) {
  core::Envelope e;
  e.mail_from = std::move(from);
  for (auto& t : to) e.recipients.push_back({t, 0, ""});
  e.authenticated_user = std::move(auth);
  e.client_address = "127.0.0.1";
  return e;
}

inline std::string message(const std::string& from, const std::string& subject = "hello") {
  return "From: " + from + "\r\nTo: someone@example.test\r\nSubject: " + subject +
         "\r\nMessage-ID: <" + subject + "@test>\r\n\r\nbody line\r\n";
}

}  // namespace qtest
