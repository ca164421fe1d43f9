#include "smimegw/db/migrations.hpp"

#include <catch2/catch.hpp>

#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;

TEST_CASE("migrate applies every migration once and the schema becomes current") {
  test::ScratchDatabase scratch;
  auto conn = db::connect({.url = scratch.url()});
  REQUIRE(conn.ok());
  auto before = db::schema_state(**conn);
  REQUIRE(before.ok());
  CHECK(before->missing == db::known_migrations());
  CHECK(db::check_schema(*before).error().code == "schema_behind");

  auto applied = db::migrate(**conn);
  REQUIRE(applied.ok());
  CHECK(*applied == db::known_migrations());
  auto again = db::migrate(**conn);
  REQUIRE(again.ok());
  CHECK(again->empty());
  auto after = db::schema_state(**conn);
  REQUIRE(after.ok());
  CHECK(after->current());
  CHECK(db::check_schema(*after).ok());
}

TEST_CASE("a database with a migration the binary does not know is refused") {
  test::ScratchDatabase scratch;
  auto conn = db::connect({.url = scratch.url()});
  REQUIRE(conn.ok());
  REQUIRE(db::migrate(**conn).ok());
  REQUIRE(db::run_transaction(**conn, [](pqxx::work& tx) {
            tx.exec0("INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future')");
          }).ok());
  auto state = db::schema_state(**conn);
  REQUIRE(state.ok());
  CHECK(state->unknown == std::vector<std::string>{"9999_from_the_future"});
  auto gate = db::check_schema(*state);
  REQUIRE_FALSE(gate.ok());
  CHECK(gate.error().code == "schema_ahead");
  CHECK(gate.error().message.find("9999_from_the_future") != std::string::npos);
  CHECK(db::migrate(**conn).error().code == "schema_ahead");
}

TEST_CASE("a failing transaction rolls back") {
  test::ScratchDatabase scratch;
  auto conn = db::connect({.url = scratch.url()});
  REQUIRE(conn.ok());
  REQUIRE(
      db::run_transaction(**conn, [](pqxx::work& tx) { tx.exec0("CREATE TABLE t (x int)"); }).ok());
  auto r = db::run_transaction(**conn, [](pqxx::work& tx) {
    tx.exec0("INSERT INTO t VALUES (1)");
    tx.exec0("INSERT INTO t VALUES ('not a number')");
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "db_error");
  CHECK(r.error().message.find("SQLSTATE 22P02") != std::string::npos);
  auto n = db::run_transaction(
      **conn, [](pqxx::work& tx) { return tx.exec1("SELECT count(*) FROM t")[0].as<int>(); });
  REQUIRE(n.ok());
  CHECK(*n == 0);
}

TEST_CASE("an unreachable database is a transient db_unavailable error after the retry window") {
  db::ConnectionOptions opts{.url = "host=/nonexistent-socket-dir dbname=x user=x"};
  auto start = std::chrono::steady_clock::now();
  int retries = 0;
  auto c = db::connect_with_retry(opts, std::chrono::milliseconds(700),
                                  [&](const core::Error&) { ++retries; });
  auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().code == "db_unavailable");
  CHECK(c.error().temporary);
  CHECK(retries >= 2);
  CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("passwords are added to URIs and conninfo strings, percent-encoded or quoted") {
  CHECK(db::connection_string({"postgresql://u@h/db", "p@ss w'rd", 1000}) ==
        "postgresql://u@h/db?application_name=smimegw&options=-c%20statement_timeout%3D1000"
        "&password=p%40ss%20w%27rd");
  CHECK(db::connection_string({"host=h dbname=d", "it's", 5}) ==
        "host=h dbname=d application_name='smimegw' options='-c statement_timeout=5' "
        "password='it\\'s'");
}
