// PgPolicyStore against a real PostgreSQL: catalog round trip and replacement, unique
// constraints, the catalog version and conditional replacement, one snapshot per catalog read,
// settings with optimistic versions, per-user settings by primary or proxy address, and the
// generation counter bumped by the triggers.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "../policy/fixtures.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;
using namespace policy_test;

namespace {

struct Fixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgPolicyStore> store;
  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    store = std::make_unique<db::PgPolicyStore>(*pool);
  }
  void sql(const std::string& q) {
    auto r = pool->transact_blocking([&](pqxx::work& tx) { tx.exec(q); });
    REQUIRE(r.ok());
  }
};

Catalog small_catalog() {
  Catalog small;
  small.labels.push_back(test_catalog().labels[0]);
  LabelPolicy p{.name = "Only", .priority = 3, .all_users = true};
  p.labels = {kGeneral};
  small.policies.push_back(p);
  return small;
}

// The store returns labels and policies by descending priority.
Catalog sorted(Catalog c) {
  std::sort(c.labels.begin(), c.labels.end(),
            [](const Label& a, const Label& b) { return a.priority > b.priority; });
  std::sort(c.policies.begin(), c.policies.end(),
            [](const LabelPolicy& a, const LabelPolicy& b) { return a.priority > b.priority; });
  for (auto& p : c.policies) {
    std::sort(p.users.begin(), p.users.end());
    std::sort(p.groups.begin(), p.groups.end());
  }
  return c;
}

}  // namespace

TEST_CASE("policy store: an empty database has no catalog and default settings") {
  Fixture f;
  auto c = f.store->load_catalog();
  REQUIRE(c.ok());
  CHECK(c->labels.empty());
  CHECK(c->policies.empty());
  auto s = f.store->smime_settings();
  REQUIRE(s.ok());
  CHECK(s->settings == SmimeSettings{});
  CHECK(s->version == 1);
}

TEST_CASE("policy store: the catalog round-trips every field") {
  Fixture f;
  auto cat = test_catalog();
  cat.labels[1].header_template = "O'Brien \"quoted\" ${User.Name} — ünïcode";
  REQUIRE(f.store->replace_catalog(cat).ok());
  auto back = f.store->load_catalog();
  REQUIRE(back.ok());
  CHECK(*back == sorted(cat));
  CHECK(back->labels.front().id == kSecret);
  CHECK(back->labels.front().rights == cat.labels[3].rights);
  CHECK(back->labels.front().scope.internal_only);
  CHECK(back->policies.front().name == "Legal");
  CHECK(back->policies.front().labels == std::vector<std::string>{kGeneral, kPartners});
}

TEST_CASE("policy store: replace_catalog replaces everything, atomically") {
  Fixture f;
  REQUIRE(f.store->replace_catalog(test_catalog()).ok());
  const Catalog small = small_catalog();
  REQUIRE(f.store->replace_catalog(small).ok());
  auto back = f.store->load_catalog();
  REQUIRE(back.ok());
  CHECK(*back == small);
  // a catalog violating a constraint (two labels with one priority) leaves the old one in place
  Catalog bad = test_catalog();
  bad.labels[1].priority = 0;
  auto r = f.store->replace_catalog(bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "db_duplicate");
  auto still = f.store->load_catalog();
  REQUIRE(still.ok());
  CHECK(*still == small);
}

TEST_CASE("policy store: the catalog version moves with the catalog only; stale writes refused") {
  Fixture f;
  auto v0 = f.store->load_versioned_catalog();
  REQUIRE(v0.ok());
  CHECK(v0->catalog.labels.empty());
  // the S/MIME settings move the generation, not the catalog version
  auto s = f.store->smime_settings();
  REQUIRE(f.store->save_smime_settings(s->settings, s->version).ok());
  CHECK(f.store->load_versioned_catalog()->version == v0->version);

  auto v1 = f.store->replace_catalog_if(test_catalog(), v0->version);
  REQUIRE(v1.ok());
  CHECK(*v1 > v0->version);
  auto read1 = f.store->load_versioned_catalog();
  REQUIRE(read1.ok());
  CHECK(read1->version == *v1);
  CHECK(read1->catalog == sorted(test_catalog()));

  // written against the version before: refused, nothing changed
  auto stale = f.store->replace_catalog_if(small_catalog(), v0->version);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == "conflict");
  auto still = f.store->load_versioned_catalog();
  CHECK(still->version == *v1);
  CHECK(still->catalog == sorted(test_catalog()));

  // changes made elsewhere move it too: by hand, and a deleted user's assignments
  f.sql("UPDATE labels SET display_name = 'x' WHERE priority = 0");
  auto v2 = f.store->load_versioned_catalog()->version;
  CHECK(v2 > *v1);
  f.sql("INSERT INTO users (address) VALUES ('boss@contoso.test')");
  CHECK(f.store->load_versioned_catalog()->version == v2);  // a user is not the catalog
  f.sql("DELETE FROM users WHERE address = 'boss@contoso.test'");
  auto v3 = f.store->load_versioned_catalog()->version;
  CHECK(v3 > v2);
  CHECK_FALSE(f.store->replace_catalog_if(small_catalog(), v2).ok());
  auto v4 = f.store->replace_catalog_if(small_catalog(), v3);
  REQUIRE(v4.ok());
  CHECK(f.store->load_catalog()->labels.size() == 1);
}

TEST_CASE("policy store: a catalog read never sees half of a concurrent replace") {
  Fixture f;
  // a second pool: the fixture's single connection would run the two sides one after the other
  db::Pool writer_pool(db::ConnectionOptions{.url = f.scratch.url()}, 1);
  db::PgPolicyStore writer(writer_pool);
  const Catalog a = sorted(test_catalog());
  const Catalog b = small_catalog();
  REQUIRE(writer.replace_catalog(a).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> writes{0};
  std::thread t([&] {
    for (int i = 0; !stop; ++i)
      if (writer.replace_catalog(i % 2 ? a : b).ok()) ++writes;
  });
  int mixed = 0, failed = 0, reads = 0;
  while (reads < 400 || writes < 20) {
    ++reads;
    auto c = f.store->load_versioned_catalog();
    if (!c.ok())
      ++failed;
    else if (!(c->catalog == a) && !(c->catalog == b))
      ++mixed;
    if (reads > 20000) break;
  }
  stop = true;
  t.join();
  INFO(reads << " reads during " << writes << " replacements");
  CHECK(writes >= 20);
  CHECK(failed == 0);
  CHECK(mixed == 0);
}

TEST_CASE("policy store: settings save with the version they were read at, else conflict") {
  Fixture f;
  auto v = f.store->smime_settings();
  REQUIRE(v.ok());
  SmimeSettings s = v->settings;
  s.always_sign = true;
  s.encryption_algorithm = "AES-128-GCM";
  s.include_chain = IncludeChain::none;
  s.crl_retrieval_timeout_ms = 1234;
  s.encrypt_all_user_change_allowed = false;
  auto saved = f.store->save_smime_settings(s, v->version);
  REQUIRE(saved.ok());
  CHECK(*saved == v->version + 1);
  auto back = f.store->smime_settings();
  REQUIRE(back.ok());
  CHECK(back->settings == s);
  CHECK(back->version == *saved);
  auto stale = f.store->save_smime_settings(SmimeSettings{}, v->version);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == "conflict");
  CHECK(f.store->smime_settings()->settings == s);
}

TEST_CASE("policy store: the database refuses settings the validator would refuse") {
  Fixture f;
  SmimeSettings s;
  s.signing_algorithm = "SHA-1";
  auto r = f.store->save_smime_settings(s, 1);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "db_error");
}

TEST_CASE("policy store: user settings by primary or proxy address, unknown user not_found") {
  Fixture f;
  f.sql("INSERT INTO users (address) VALUES ('alice@contoso.test')");
  f.sql("INSERT INTO user_addresses (address, user_id) SELECT 'a.l@contoso.test', id FROM users");
  auto none = f.store->user_settings("Alice@Contoso.test");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  UserSmimeSettings u{.smime_enabled = false, .sign_all = true, .encrypt_all = std::nullopt};
  REQUIRE(f.store->save_user_settings("a.l@contoso.test", u).ok());
  auto back = f.store->user_settings("alice@contoso.test");
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK(**back == u);
  u.encrypt_all = false;
  u.sign_all.reset();
  REQUIRE(f.store->save_user_settings("alice@contoso.test", u).ok());
  CHECK(**f.store->user_settings("a.l@contoso.test") == u);
  auto missing = f.store->user_settings("nobody@contoso.test");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "not_found");
  auto save_missing = f.store->save_user_settings("nobody@contoso.test", u);
  REQUIRE_FALSE(save_missing.ok());
  CHECK(save_missing.error().code == "not_found");
}

TEST_CASE("policy store: every change bumps the generation, reads do not") {
  Fixture f;
  auto g0 = f.store->generation();
  REQUIRE(g0.ok());
  REQUIRE(f.store->load_catalog().ok());
  CHECK(*f.store->generation() == *g0);
  REQUIRE(f.store->replace_catalog(test_catalog()).ok());
  auto g1 = f.store->generation();
  CHECK(*g1 > *g0);
  auto v = f.store->smime_settings();
  REQUIRE(f.store->save_smime_settings(v->settings, v->version).ok());
  auto g2 = f.store->generation();
  CHECK(*g2 > *g1);
  f.sql("UPDATE labels SET display_name = 'x' WHERE priority = 0");  // by hand, in psql
  CHECK(*f.store->generation() > *g2);
}

TEST_CASE("policy store: group membership moves the generation, not the catalog version") {
  Fixture f;
  REQUIRE(f.store->replace_catalog(test_catalog()).ok());  // Legal is assigned to legal@
  auto version = f.store->load_versioned_catalog()->version;
  auto step = [&](const std::string& sql) {
    auto before = f.store->generation();
    REQUIRE(before.ok());
    f.sql(sql);
    INFO(sql);
    CHECK(*f.store->generation() > *before);
  };
  step("INSERT INTO groups (address) VALUES ('legal@contoso.test')");
  f.sql("INSERT INTO users (address) VALUES ('ann@contoso.test')");  // not a group change
  step(
      "INSERT INTO group_members (group_id, member_user_id) SELECT g.id, u.id FROM groups g, "
      "users u WHERE g.address = 'legal@contoso.test' AND u.address = 'ann@contoso.test'");
  step("UPDATE users SET address = 'anne@contoso.test' WHERE address = 'ann@contoso.test'");
  step("DELETE FROM group_members");
  CHECK(f.store->load_versioned_catalog()->version == version);
}

TEST_CASE("policy store: deleting a user or group removes its policy assignments") {
  Fixture f;
  REQUIRE(f.store->replace_catalog(test_catalog()).ok());
  f.sql("INSERT INTO groups (address) VALUES ('legal@contoso.test')");
  f.sql("INSERT INTO users (address) VALUES ('boss@contoso.test')");
  auto before = f.store->generation();
  REQUIRE(before.ok());
  f.sql("DELETE FROM groups WHERE address = 'legal@contoso.test'");
  auto c = f.store->load_catalog();
  REQUIRE(c.ok());
  for (const auto& p : c->policies) {
    CHECK(std::find(p.groups.begin(), p.groups.end(), "legal@contoso.test") == p.groups.end());
    if (p.name == "Legal") CHECK(p.users == std::vector<std::string>{"boss@contoso.test"});
  }
  auto after = f.store->generation();
  REQUIRE(after.ok());
  CHECK(*after > *before);  // every instance reloads its catalog
  f.sql("DELETE FROM users WHERE address = 'boss@contoso.test'");
  c = f.store->load_catalog();
  REQUIRE(c.ok());
  for (const auto& p : c->policies) CHECK(p.users.empty());
  // the policies themselves stay, only the assignments went
  CHECK(c->policies.size() == test_catalog().policies.size());
}
