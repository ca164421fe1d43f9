// Group expansion on in-memory graphs (the PostgreSQL graph loading is tested in
// tests/unit/app_directory).
#include "smimegw/directory/group_expansion.hpp"

#include <catch2/catch.hpp>

using namespace smimegw::directory;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct GraphBuilder {
  GroupGraph g;
  std::int64_t group(const std::string& address) {
    auto id = static_cast<std::int64_t>(g.groups.size() + 1);
    g.groups.push_back({id, address, "", 0});
    if (g.root_id == 0) g.root_id = id;
    return id;
  }
  void user(std::int64_t in, const std::string& address) {
    g.edges.push_back({in, {MemberKind::user, address, 1000 + (std::int64_t)g.edges.size(), true}});
  }
  void external(std::int64_t in, const std::string& address) {
    g.edges.push_back({in, {MemberKind::external, address, 0, true}});
  }
  void nest(std::int64_t in, std::int64_t child) {
    g.edges.push_back({in, {MemberKind::group, g.groups[child - 1].address, child, true}});
  }
};

Expansion expand(const GroupGraph& g, ExpansionLimits limits = {}) {
  return expand_graph(g, limits, SteadyClock::now() + std::chrono::seconds(60));
}

}  // namespace

TEST_CASE("nested groups expand to users and external addresses with the path that reached them") {
  GraphBuilder b;
  auto all = b.group("all@contoso.test");
  auto sales = b.group("sales@contoso.test");
  b.user(all, "alice@contoso.test");
  b.nest(all, sales);
  b.user(sales, "bob@contoso.test");
  b.external(sales, "partner@example.org");
  b.user(sales, "alice@contoso.test");  // also direct: listed once, first path
  auto e = expand(b.g);
  CHECK(e.complete());
  CHECK(e.group == "all@contoso.test");
  REQUIRE(e.members.size() == 3);
  CHECK(e.members[0].member.address == "alice@contoso.test");
  CHECK(e.members[0].path == std::vector<std::string>{"all@contoso.test"});
  CHECK(e.members[1].member.address == "bob@contoso.test");
  CHECK(e.members[1].path == std::vector<std::string>{"all@contoso.test", "sales@contoso.test"});
  CHECK(e.members[2].member.kind == MemberKind::external);
}

TEST_CASE("a group cycle is reported and every member is still returned") {
  GraphBuilder b;
  auto a = b.group("a@x.test"), bb = b.group("b@x.test"), c = b.group("c@x.test");
  b.nest(a, bb);
  b.nest(bb, c);
  b.nest(c, a);  // a > b > c > a
  b.user(a, "u1@x.test");
  b.user(bb, "u2@x.test");
  b.user(c, "u3@x.test");
  auto e = expand(b.g);
  CHECK(e.members.size() == 3);
  REQUIRE(e.problems.size() == 1);
  CHECK(e.problems[0].code == "cycle");
  CHECK(e.problems[0].path ==
        std::vector<std::string>{"a@x.test", "b@x.test", "c@x.test", "a@x.test"});
  CHECK(e.complete());
}

TEST_CASE("10 levels of nesting expand; an 11th level is refused and reported") {
  for (int levels : {10, 11}) {
    GraphBuilder b;
    std::int64_t prev = 0;
    for (int i = 1; i <= levels; ++i) {
      auto g = b.group("level" + std::to_string(i) + "@x.test");
      if (prev) b.nest(prev, g);
      b.user(g, "user" + std::to_string(i) + "@x.test");
      prev = g;
    }
    auto e = expand(b.g);
    INFO(levels);
    if (levels == 10) {
      CHECK(e.complete());
      CHECK(e.members.size() == 10);
      CHECK(e.members.back().path.size() == 10);
    } else {
      CHECK_FALSE(e.complete());
      CHECK(e.members.size() == 10);  // level 11's own member is missing
      REQUIRE(e.problems.size() == 1);
      CHECK(e.problems[0].code == "depth_exceeded");
      CHECK(e.problems[0].path.size() == 11);
      CHECK(e.problems[0].path.back() == "level11@x.test");
    }
  }
}

TEST_CASE("the member cap stops the expansion and says so") {
  GraphBuilder b;
  auto g = b.group("big@x.test");
  for (int i = 0; i < 50; ++i) b.user(g, "u" + std::to_string(i) + "@x.test");
  auto e = expand(b.g, {.max_depth = 10, .max_members = 20});
  CHECK(e.members.size() == 20);
  REQUIRE(e.problems.size() == 1);
  CHECK(e.problems[0].code == "member_cap");
  CHECK_FALSE(e.complete());
  CHECK(expand(b.g, {.max_depth = 10, .max_members = 50}).complete());
}

TEST_CASE("the time limit stops the expansion and says so") {
  GraphBuilder b;
  auto g = b.group("big@x.test");
  for (int i = 0; i < 2000; ++i) b.user(g, "u" + std::to_string(i) + "@x.test");
  // a clock that jumps one second per reading: the 2nd reading is past a 1.5 s deadline
  auto start = SteadyClock::now();
  int reads = 0;
  auto now = [&] { return start + std::chrono::seconds(reads++); };
  auto e = expand_graph(b.g, {}, start + std::chrono::milliseconds(1500), now);
  CHECK_FALSE(e.complete());
  CHECK(e.problems.back().code == "timeout");
  CHECK(e.members.size() < 2000);
  CHECK(e.members.size() >= 255);
}
