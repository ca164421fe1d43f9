// app::AdminLabels (the admin API's label catalog) over the real PostgreSQL store, with another
// writer — a second store on its own connection, as another gateway instance or the CLI would be
// — changing the catalog between the service's read and its write. Without If-Match the edit is
// applied again to the new catalog (nothing of either writer is lost); with If-Match it fails with
// precondition_failed and writes nothing; a catalog that keeps moving ends in conflict.
#include "admin_labels.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <optional>

#include "../policy/fixtures.hpp"
#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;
using namespace policy_test;
namespace json = boost::json;

namespace {

using smimegw::test::run;

/// The service's store: the real one, except that before each of its first `races` conditional
/// replaces the other writer adds a label of its own.
struct RacingStore final : policy::PolicyStore {
  policy::PolicyStore& real;
  policy::PolicyStore& other;
  int races = 0;
  int replaces = 0;
  RacingStore(policy::PolicyStore& r, policy::PolicyStore& o) : real(r), other(o) {}

  core::Result<policy::Catalog> load_catalog() override { return real.load_catalog(); }
  core::Result<policy::VersionedCatalog> load_versioned_catalog() override {
    return real.load_versioned_catalog();
  }
  core::Status replace_catalog(const policy::Catalog& c) override {
    return real.replace_catalog(c);
  }
  core::Result<std::int64_t> replace_catalog_if(const policy::Catalog& c,
                                                std::int64_t expected) override {
    if (replaces++ < races) {
      auto cur = other.load_catalog();
      REQUIRE(cur.ok());
      const int n = replaces;
      cur->labels.push_back({.id = "00000000-0000-4000-8000-00000000000" + std::to_string(n),
                             .name = "Other" + std::to_string(n),
                             .display_name = "Other",
                             .priority = 100 + n});
      REQUIRE(other.replace_catalog(*cur).ok());
    }
    return real.replace_catalog_if(c, expected);
  }
  core::Result<policy::VersionedSettings> smime_settings() override {
    return real.smime_settings();
  }
  core::Result<std::int64_t> save_smime_settings(const policy::SmimeSettings& s,
                                                 std::int64_t v) override {
    return real.save_smime_settings(s, v);
  }
  core::Result<std::optional<policy::UserSmimeSettings>> user_settings(
      const std::string& a) override {
    return real.user_settings(a);
  }
  core::Status save_user_settings(const std::string& a,
                                  const policy::UserSmimeSettings& s) override {
    return real.save_user_settings(a, s);
  }
  core::Result<std::int64_t> generation() override { return real.generation(); }
};

struct Fixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool, other_pool;
  std::unique_ptr<db::PgPolicyStore> store, other;
  std::unique_ptr<RacingStore> racing;
  boost::asio::thread_pool worker{1};
  std::unique_ptr<app::AdminLabels> labels;
  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    other_pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 1);
    store = std::make_unique<db::PgPolicyStore>(*pool);
    other = std::make_unique<db::PgPolicyStore>(*other_pool);
    REQUIRE(store->replace_catalog(test_catalog()).ok());
    racing = std::make_unique<RacingStore>(*store, *other);
    labels = std::make_unique<app::AdminLabels>(*racing, worker);
  }
  ~Fixture() { worker.join(); }
  std::vector<std::string> names() {
    auto c = store->load_catalog();
    REQUIRE(c.ok());
    std::vector<std::string> out;
    for (const auto& l : c->labels) out.push_back(l.name);
    std::sort(out.begin(), out.end());
    return out;
  }
};

const json::object kLate{{"name", "Late"}, {"priority", 77}};

}  // namespace

TEST_CASE("admin labels: an edit raced by another writer is applied to the new catalog") {
  Fixture f;
  f.racing->races = 2;
  auto before = f.store->load_versioned_catalog();
  REQUIRE(before.ok());
  auto r = run(f.labels->create(kLate, {}));
  REQUIRE(r.ok());
  CHECK(f.racing->replaces == 3);  // two lost races, then the write
  CHECK(r->value.at("name").as_string() == "Late");
  auto after = f.store->load_versioned_catalog();
  CHECK(r->version == after->version);
  CHECK(r->version > before->version);
  CHECK(f.names() == std::vector<std::string>{"Confidential", "General", "Late", "Other1", "Other2",
                                              "Partners", "Secret"});
}

TEST_CASE("admin labels: with If-Match a raced edit fails and writes nothing") {
  Fixture f;
  auto before = f.store->load_versioned_catalog();
  REQUIRE(before.ok());
  f.racing->races = 1;
  http::admin::IfMatch pre{.any = false, .versions = {before->version}};
  auto r = run(f.labels->create(kLate, pre));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "precondition_failed");
  auto now = f.store->load_versioned_catalog();
  CHECK_THAT(r.error().message,
             Catch::Contains("\"catalog-" + std::to_string(now->version) + "\""));
  CHECK(f.names() ==
        std::vector<std::string>{"Confidential", "General", "Other1", "Partners", "Secret"});
  // a version that is already stale is refused before anything is read into an edit
  auto again = run(f.labels->remove("Partners", pre));
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "precondition_failed");
  CHECK(f.racing->replaces == 1);
  // the current version is accepted
  http::admin::IfMatch current{.any = false, .versions = {now->version}};
  auto ok = run(f.labels->patch("General", json::object{{"display_name", "G"}}, current));
  REQUIRE(ok.ok());
  CHECK(ok->value.at("display_name").as_string() == "G");
}

TEST_CASE("admin labels: a catalog that keeps moving ends the edit in conflict") {
  Fixture f;
  f.racing->races = 100;
  auto r = run(f.labels->create(kLate, {}));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "conflict");
  CHECK(f.racing->replaces == 5);
  auto names = f.names();
  CHECK(std::find(names.begin(), names.end(), "Late") == names.end());
  CHECK(names.size() == 4 + 5);  // the other writer's five, nothing of ours
}
