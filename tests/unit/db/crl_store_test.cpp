// PgCrlStore against a real PostgreSQL: CRL upsert/find/list with and without nextUpdate, and
// fetched certificates kept once per thumbprint (bytes incl. NUL/0xFF round-trip).
#include "smimegw/db/crl_store.hpp"

#include <catch2/catch.hpp>

#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;
using Clock = std::chrono::system_clock;

namespace {

struct CrlFixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgCrlStore> store;
  CrlFixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    store = std::make_unique<db::PgCrlStore>(*pool);
  }
};

Clock::time_point at(std::int64_t s) {
  return Clock::time_point(std::chrono::seconds(s));
}

}  // namespace

TEST_CASE("crl store: a CRL is stored per URL, replaced on refresh and found again") {
  CrlFixture f;
  CHECK_FALSE(f.store->find_crl("http://x/a.crl")->has_value());
  trust::StoredCrl c{"http://x/a.crl", "CN=CA",        {0x30, 0x00, 0xFF, 0x00},
                     at(1700000000),   at(1700600000), at(1700000100)};
  REQUIRE(f.store->put_crl(c).ok());
  auto got = f.store->find_crl(c.url);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->der == c.der);
  CHECK((*got)->this_update == c.this_update);
  CHECK((*got)->next_update == c.next_update);
  CHECK((*got)->issuer == "CN=CA");

  c.der = {0x30, 0x01, 0x05};
  c.this_update = at(1700500000);
  c.next_update.reset();
  REQUIRE(f.store->put_crl(c).ok());
  auto again = f.store->find_crl(c.url);
  REQUIRE(again->has_value());
  CHECK((*again)->der == c.der);
  CHECK_FALSE((*again)->next_update.has_value());
  auto all = f.store->list_crls();
  REQUIRE(all.ok());
  CHECK(all->size() == 1);
}

TEST_CASE("crl store: fetched certificates are kept once per thumbprint") {
  CrlFixture f;
  trust::StoredFetchedCertificate c{
      "http://x/ca.crt", std::string(64, 'a'), "CN=Sub CA", {0x30, 0x00, 0xFF}, at(1700000000)};
  REQUIRE(f.store->put_fetched_certificate(c).ok());
  REQUIRE(f.store->put_fetched_certificate(c).ok());
  c.sha256 = std::string(64, 'b');
  REQUIRE(f.store->put_fetched_certificate(c).ok());
  auto all = f.store->fetched_certificates();
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK(all->front().der == std::vector<std::uint8_t>{0x30, 0x00, 0xFF});
  CHECK(all->front().url == "http://x/ca.crt");
}
