#include "smimegw/db/pool.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "test_env.hpp"

using namespace smimegw;
namespace asio = boost::asio;

TEST_CASE("transact runs on pool threads and resumes on the caller's executor") {
  test::ScratchDatabase scratch;
  db::Pool pool({.url = scratch.url()}, 2);
  asio::io_context io;
  int sum = 0;
  bool resumed_on_io = true;
  auto io_thread = std::this_thread::get_id();
  for (int i = 0; i < 20; ++i) {
    asio::co_spawn(
        io,
        [&, i]() -> asio::awaitable<void> {
          auto r = co_await pool.transact([i](pqxx::work& tx) {
            return tx.exec_params1("SELECT $1::int + 1", i)[0].as<int>();
          });
          if (std::this_thread::get_id() != io_thread) resumed_on_io = false;
          if (r.ok()) sum += *r;
        },
        asio::detached);
  }
  io.run();
  CHECK(resumed_on_io);
  CHECK(sum == 210);
}

TEST_CASE("transact reports db errors as values and keeps the pool usable") {
  test::ScratchDatabase scratch;
  db::Pool pool({.url = scratch.url()}, 1);
  asio::io_context io;
  std::string first, second;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        auto bad =
            co_await pool.transact([](pqxx::work& tx) { tx.exec0("SELECT * FROM nowhere"); });
        first = bad.ok() ? "ok" : bad.error().code;
        auto good = co_await pool.transact(
            [](pqxx::work& tx) { return tx.exec1("SELECT 'fine'")[0].as<std::string>(); });
        second = good.ok() ? *good : good.error().code;
      },
      asio::detached);
  io.run();
  CHECK(first == "db_error");
  CHECK(second == "fine");
}

TEST_CASE("transact_blocking waits for the result on a pool thread") {
  test::ScratchDatabase scratch;
  db::Pool pool({.url = scratch.url()}, 2);
  auto caller = std::this_thread::get_id();
  auto r = pool.transact_blocking([caller](pqxx::work& tx) {
    CHECK(std::this_thread::get_id() != caller);
    return tx.exec1("SELECT 40 + 2")[0].as<int>();
  });
  REQUIRE(r.ok());
  CHECK(*r == 42);
  auto bad = pool.transact_blocking([](pqxx::work& tx) { tx.exec0("SELEC nonsense"); });
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "db_error");
}
