// PgCertificateStore against a real PostgreSQL: GAL lookups by primary and proxy address (single
// and batch), disabled certificates hidden, duplicates refused atomically, installed
// certificates, rewrap_all all-or-nothing, audit rows written in the same transaction.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "test_env.hpp"

using namespace smimegw;
using directory::CertUsage;
using Clock = std::chrono::system_clock;

namespace {

using smimegw::test::run;

struct Fixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgCertificateStore> store;
  std::unique_ptr<db::PgUserStore> users;
  std::int64_t alice = 0, bob = 0;
  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    store = std::make_unique<db::PgCertificateStore>(*pool);
    users = std::make_unique<db::PgUserStore>(*pool);
    directory::User a;
    a.address = "alice@contoso.test";
    a.proxy_addresses = {"a.smith@contoso.test"};
    alice = *run(users->create(a));
    directory::User b;
    b.address = "bob@contoso.test";
    bob = *run(users->create(b));
  }
  std::string sql1(const std::string& q) {
    auto r =
        pool->transact_blocking([&](pqxx::work& tx) { return tx.exec1(q)[0].as<std::string>(); });
    REQUIRE(r.ok());
    return *r;
  }
};

directory::NewUserCertificate cert(std::int64_t user, char fill, CertUsage usage, int days_valid,
                                   bool key = true) {
  directory::NewUserCertificate c;
  c.user_id = user;
  c.der = {0x30, 0x03, 0x02, 0x01, static_cast<std::uint8_t>(fill), 0x00, 0xFF};
  c.thumbprint = std::string(40, fill);
  c.usage = usage;
  c.not_before = Clock::now() - std::chrono::hours(1);
  c.not_after = Clock::now() + std::chrono::hours(24 * days_valid);
  if (key) c.key = directory::WrappedKey{{1, 2, 3, static_cast<std::uint8_t>(fill)}, "kek-old"};
  return c;
}

directory::AuditEntry audit(const std::string& action) {
  return {"test", action, "alice@contoso.test", R"({"n":1})"};
}

}  // namespace

TEST_CASE("GAL lookups find certificates by primary and proxy address, single and batch") {
  Fixture f;
  auto ids = run(f.store->add_user_certificates(
      {cert(f.alice, 'A', CertUsage::sign, 10), cert(f.alice, 'B', CertUsage::encrypt, 20, false),
       cert(f.bob, 'C', CertUsage::both, 5)},
      {audit("import")}));
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 3);

  auto by_proxy = run(f.store->gal_certificates("a.smith@contoso.test"));
  REQUIRE(by_proxy.ok());
  REQUIRE(by_proxy->size() == 2);
  CHECK((*by_proxy)[0].thumbprint == std::string(40, 'B'));  // newest not_after first
  CHECK((*by_proxy)[0].user_address == "alice@contoso.test");
  CHECK((*by_proxy)[0].usage == CertUsage::encrypt);
  CHECK_FALSE((*by_proxy)[0].has_private_key);
  CHECK((*by_proxy)[1].has_private_key);
  CHECK((*by_proxy)[1].der == std::vector<std::uint8_t>{0x30, 0x03, 0x02, 0x01, 'A', 0x00, 0xFF});
  CHECK(run(f.store->gal_certificates("nobody@contoso.test"))->empty());

  f.sql1("UPDATE user_certificates SET enabled = false WHERE thumbprint = '" +
         std::string(40, 'A') + "' RETURNING 1");
  auto batch = run(f.store->gal_certificates_batch(
      {"alice@contoso.test", "bob@contoso.test", "a.smith@contoso.test", "x@y.test", "bad\naddr"}));
  REQUIRE(batch.ok());
  REQUIRE(batch->size() == 3);  // alice's enabled one twice (two asked addresses), bob's once
  CHECK((*batch)[0].first == "a.smith@contoso.test");
  CHECK((*batch)[1].first == "alice@contoso.test");
  CHECK((*batch)[2].first == "bob@contoso.test");
  CHECK((*batch)[2].second.usage == CertUsage::both);
  CHECK(f.sql1("SELECT count(*) FROM audit_log WHERE action = 'import'") == "1");
}

TEST_CASE("a duplicate certificate refuses the whole batch and writes no audit row") {
  Fixture f;
  REQUIRE(run(f.store->add_user_certificates({cert(f.alice, 'A', CertUsage::both, 10)}, {})).ok());
  auto dup = run(f.store->add_user_certificates(
      {cert(f.alice, 'D', CertUsage::sign, 10), cert(f.alice, 'A', CertUsage::both, 10)},
      {audit("import")}));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "db_duplicate");
  CHECK(f.sql1("SELECT count(*) FROM user_certificates") == "1");
  CHECK(f.sql1("SELECT count(*) FROM audit_log") == "0");
  // the same certificate for another user is fine
  REQUIRE(run(f.store->add_user_certificates({cert(f.bob, 'A', CertUsage::both, 10)}, {})).ok());
}

TEST_CASE("rewrap_all replaces every key in one transaction or none") {
  Fixture f;
  REQUIRE(
      run(f.store->add_user_certificates(
              {cert(f.alice, 'A', CertUsage::sign, 10), cert(f.alice, 'B', CertUsage::encrypt, 10),
               cert(f.bob, 'C', CertUsage::both, 10), cert(f.bob, 'E', CertUsage::both, 10, false)},
              {}))
          .ok());
  CHECK(*run(f.store->kek_ids()) == std::vector<std::string>{"kek-old"});

  int calls = 0;
  auto failing = run(f.store->rewrap_all(
      [&](const directory::WrappedKeyRow&) -> core::Result<directory::WrappedKey> {
        if (++calls == 2) return core::Error::make("kek_mismatch", "second key fails");
        return directory::WrappedKey{{9, 9}, "kek-new"};
      },
      audit("rotate")));
  REQUIRE_FALSE(failing.ok());
  CHECK(failing.error().code == "kek_mismatch");
  CHECK(*run(f.store->kek_ids()) == std::vector<std::string>{"kek-old"});
  CHECK(f.sql1("SELECT count(*) FROM audit_log") == "0");

  auto ok = run(f.store->rewrap_all(
      [&](const directory::WrappedKeyRow& row) -> core::Result<directory::WrappedKey> {
        auto c = row.key.ciphertext;
        c.push_back(static_cast<std::uint8_t>(row.thumbprint[0]));
        return directory::WrappedKey{c, "kek-new"};
      },
      audit("rotate")));
  REQUIRE(ok.ok());
  CHECK(*ok == 3);
  CHECK(*run(f.store->kek_ids()) == std::vector<std::string>{"kek-new"});
  auto id =
      f.sql1("SELECT id FROM user_certificates WHERE thumbprint = '" + std::string(40, 'B') + "'");
  auto k = run(f.store->wrapped_key(std::stoll(id)));
  REQUIRE(k.ok());
  REQUIRE(k->has_value());
  CHECK((*k)->ciphertext == std::vector<std::uint8_t>{1, 2, 3, 'B', 'B'});
  CHECK(f.sql1("SELECT count(*) FROM audit_log WHERE action = 'rotate'") == "1");
}

TEST_CASE("installed certificates are per owner, deduplicated by thumbprint, found by proxy") {
  Fixture f;
  directory::InstalledCertificate c;
  c.owner_user_id = f.alice;
  c.address = "carol@example.org";
  c.der = {0x30, 0x00};
  c.thumbprint = std::string(40, 'F');
  c.not_after = Clock::now() + std::chrono::hours(48);
  c.source = "harvested";
  CHECK(*run(f.store->add_installed(c)) == true);
  CHECK(*run(f.store->add_installed(c)) == false);
  auto found = run(f.store->installed_certificates("a.smith@contoso.test", "carol@example.org"));
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].source == "harvested");
  CHECK(run(f.store->installed_certificates("bob@contoso.test", "carol@example.org"))->empty());
  CHECK(run(f.store->list_installed(f.alice))->size() == 1);
  CHECK(run(f.store->remove_installed(f.alice, std::string(40, 'F'))).ok());
  CHECK(run(f.store->remove_installed(f.alice, std::string(40, 'F'))).error().code == "not_found");
}

TEST_CASE("users list and enable/disable by primary or proxy address") {
  Fixture f;
  auto list = run(f.users->list());
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].address == "alice@contoso.test");
  CHECK((*list)[0].proxy_addresses == std::vector<std::string>{"a.smith@contoso.test"});
  CHECK((*list)[0].password_hash.empty());
  REQUIRE(run(f.users->set_enabled("a.smith@contoso.test", false)).ok());
  CHECK(f.sql1("SELECT enabled FROM users WHERE address = 'alice@contoso.test'") == "f");
  CHECK(run(f.users->set_enabled("nobody@contoso.test", false)).error().code == "not_found");
}

TEST_CASE("users are read a page at a time and by id") {
  Fixture f;
  auto first = run(f.users->list_page(0, 1));
  REQUIRE(first.ok());
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].address == "alice@contoso.test");
  CHECK((*first)[0].proxy_addresses == std::vector<std::string>{"a.smith@contoso.test"});
  auto second = run(f.users->list_page(1, 5));
  REQUIRE(second.ok());
  REQUIRE(second->size() == 1);
  CHECK((*second)[0].address == "bob@contoso.test");
  CHECK((*second)[0].proxy_addresses.empty());
  CHECK(run(f.users->list_page(2, 5))->empty());

  auto alice = run(f.users->find_by_id(f.alice));
  REQUIRE(alice.ok());
  REQUIRE(alice->has_value());
  CHECK((*alice)->address == "alice@contoso.test");
  CHECK((*alice)->proxy_addresses == std::vector<std::string>{"a.smith@contoso.test"});
  CHECK((*alice)->password_hash.empty());
  auto none = run(f.users->find_by_id(f.alice + 1000));
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}
