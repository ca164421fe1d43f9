// PgAnchorStore against a real PostgreSQL: add/list/find, duplicates, enable/disable/remove,
// not_found, and the generation counter bumped by the trigger.
#include "smimegw/db/anchor_store.hpp"

#include <catch2/catch.hpp>

#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;
using Clock = std::chrono::system_clock;

namespace {

struct Fixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgAnchorStore> store;
  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    store = std::make_unique<db::PgAnchorStore>(*pool);
  }
};

trust::StoredAnchor anchor(std::uint8_t fill, bool root = true) {
  trust::StoredAnchor a;
  a.der = {0x30, 0x03, 0x02, 0x01, fill, 0x00, 0xFF};  // bytes incl. NUL and 0xFF round-trip
  a.sha256 = std::string(63, 'a') + "0123456789abcdef"[fill % 16];
  a.subject = "CN=Test " + std::to_string(fill) + ", O=O'Brien \"quoted\"";
  a.issuer = "CN=Issuer";
  a.is_root = root;
  a.not_after = Clock::time_point(std::chrono::seconds(4102444800));  // 2100-01-01
  a.added_by = "tester";
  return a;
}

}  // namespace

TEST_CASE("anchor store: add, list, find round-trip every column") {
  Fixture f;
  auto before = Clock::now() - std::chrono::seconds(5);
  auto id = f.store->add(anchor(1));
  REQUIRE(id.ok());
  auto id2 = f.store->add(anchor(2, false));
  REQUIRE(id2.ok());
  CHECK(*id2 > *id);
  auto all = f.store->list(false);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  const auto& a = all->front();
  auto want = anchor(1);
  CHECK(a.id == *id);
  CHECK(a.der == want.der);
  CHECK(a.sha256 == want.sha256);
  CHECK(a.subject == want.subject);
  CHECK(a.issuer == "CN=Issuer");
  CHECK(a.is_root);
  CHECK(a.enabled);
  CHECK(a.not_after == want.not_after);
  CHECK(a.added_by == "tester");
  CHECK(a.added_at >= before);
  CHECK_FALSE((*all)[1].is_root);
  auto found = f.store->find(*id2);
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->subject == anchor(2).subject);
  auto missing = f.store->find(999);
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("anchor store: the same thumbprint twice is db_duplicate and adds nothing") {
  Fixture f;
  REQUIRE(f.store->add(anchor(3)).ok());
  auto again = f.store->add(anchor(3));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "db_duplicate");
  CHECK(f.store->list(false)->size() == 1);
}

TEST_CASE("anchor store: disable hides from enabled-only lists; enable, remove; not_found") {
  Fixture f;
  auto id = *f.store->add(anchor(4));
  REQUIRE(f.store->set_enabled(id, false).ok());
  CHECK(f.store->list(true)->empty());
  CHECK_FALSE(f.store->list(false)->front().enabled);
  REQUIRE(f.store->set_enabled(id, true).ok());
  CHECK(f.store->list(true)->size() == 1);
  CHECK(f.store->set_enabled(id + 100, false).error().code == "not_found");
  REQUIRE(f.store->remove(id).ok());
  CHECK(f.store->list(false)->empty());
  auto gone = f.store->remove(id);
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "not_found");
}

TEST_CASE("anchor store: every change increases the generation, reads do not") {
  Fixture f;
  auto g0 = f.store->generation();
  REQUIRE(g0.ok());
  auto id = *f.store->add(anchor(5));
  auto g1 = *f.store->generation();
  CHECK(g1 > *g0);
  (void)f.store->list(false);
  CHECK(*f.store->generation() == g1);
  REQUIRE(f.store->set_enabled(id, false).ok());
  auto g2 = *f.store->generation();
  CHECK(g2 > g1);
  REQUIRE(f.store->remove(id).ok());
  CHECK(*f.store->generation() > g2);
  // A change made outside the store (psql) counts too.
  auto conn = db::connect({.url = f.scratch.url()});
  auto g3 = *f.store->generation();
  REQUIRE(db::run_transaction(**conn, [](pqxx::work& tx) {
            tx.exec0("UPDATE trust_anchors SET enabled = false");
          }).ok());
  CHECK(*f.store->generation() > g3);
}

TEST_CASE("anchor store: a bad thumbprint is refused by the schema") {
  Fixture f;
  auto a = anchor(6);
  a.sha256 = "not-hex";
  auto r = f.store->add(a);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "db_error");
}
