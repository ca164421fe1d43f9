// transport::PolicySource over the real PostgreSQL stores and group expander: the snapshot the
// intake decides with follows the catalog, and also the members of the groups a label policy is
// assigned to — a user added to or removed from such a group (directly or through a nested group,
// or renamed) gets the group's policy on the next snapshot, without any change to the catalog.
#include "smimegw/transport/policy_source.hpp"

#include <catch2/catch.hpp>

#include "../policy/fixtures.hpp"
#include "run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/pool.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "test_env.hpp"

using namespace smimegw;
using namespace policy_test;
using smimegw::test::run;

namespace {

struct Fixture {
  test::ScratchDatabase scratch;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgPolicyStore> policies;
  std::unique_ptr<db::PgGroupStore> groups;
  std::unique_ptr<directory::GroupExpander> expander;
  std::unique_ptr<transport::PolicySource> source;
  Fixture() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    pool = std::make_unique<db::Pool>(db::ConnectionOptions{.url = scratch.url()}, 2);
    policies = std::make_unique<db::PgPolicyStore>(*pool);
    groups = std::make_unique<db::PgGroupStore>(*pool);
    expander = std::make_unique<directory::GroupExpander>(*groups, directory::ExpansionLimits{});
    // refresh 0: every snapshot() checks the generation (the daemon checks every 2 s)
    source = std::make_unique<transport::PolicySource>(*policies, expander.get(),
                                                       std::chrono::milliseconds(0));
    REQUIRE(policies->replace_catalog(test_catalog()).ok());  // Legal: legal@contoso.test
    sql("INSERT INTO users (address) VALUES ('ann@contoso.test'), ('bob@contoso.test'),"
        " ('cy@contoso.test')");
    sql("INSERT INTO groups (address) VALUES ('legal@contoso.test'), ('counsel@contoso.test')");
    member("legal@contoso.test", "ann@contoso.test");
  }
  void sql(const std::string& q) {
    auto r = pool->transact_blocking([&](pqxx::work& tx) { tx.exec(q); });
    REQUIRE(r.ok());
  }
  void member(const std::string& group, const std::string& user) {
    sql("INSERT INTO group_members (group_id, member_user_id) SELECT g.id, u.id FROM groups g,"
        " users u WHERE g.address = '" +
        group + "' AND u.address = '" + user + "'");
  }
  /// The groups the snapshot puts `address` in, and the label policy the sender gets.
  std::vector<std::string> groups_of(const std::string& address) {
    auto snap = run(source->snapshot());
    REQUIRE(snap.ok());
    return (*snap)->groups_of({address});
  }
  std::string policy_of(const std::string& address) {
    auto snap = run(source->snapshot());
    REQUIRE(snap.ok());
    auto p = policy::effective_policy((*snap)->catalog, {address}, (*snap)->groups_of({address}));
    return p.winning_policy;
  }
};

const std::vector<std::string> kLegal{"legal@contoso.test"};

}  // namespace

TEST_CASE("policy source: group membership changes reach the next snapshot") {
  Fixture f;
  CHECK(f.groups_of("ann@contoso.test") == kLegal);
  CHECK(f.groups_of("bob@contoso.test").empty());
  CHECK(f.policy_of("bob@contoso.test") == "Everyone");
  const auto version = f.policies->load_versioned_catalog()->version;

  f.member("legal@contoso.test", "bob@contoso.test");  // added directly
  CHECK(f.groups_of("bob@contoso.test") == kLegal);
  CHECK(f.policy_of("bob@contoso.test") == "Legal");

  f.sql(
      "DELETE FROM group_members WHERE member_user_id ="
      " (SELECT id FROM users WHERE address = 'ann@contoso.test')");  // removed
  CHECK(f.groups_of("ann@contoso.test").empty());

  // through a nested group
  f.sql(
      "INSERT INTO group_members (group_id, member_group_id) SELECT a.id, b.id FROM groups a,"
      " groups b WHERE a.address = 'legal@contoso.test' AND b.address = 'counsel@contoso.test'");
  CHECK(f.groups_of("cy@contoso.test").empty());
  f.member("counsel@contoso.test", "cy@contoso.test");
  CHECK(f.groups_of("cy@contoso.test") == kLegal);

  // renamed: members are listed by primary address
  f.sql("UPDATE users SET address = 'cyrus@contoso.test' WHERE address = 'cy@contoso.test'");
  CHECK(f.groups_of("cyrus@contoso.test") == kLegal);
  CHECK(f.groups_of("cy@contoso.test").empty());

  // none of this changed the catalog
  CHECK(f.policies->load_versioned_catalog()->version == version);
}
