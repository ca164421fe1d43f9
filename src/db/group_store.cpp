#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using directory::Group;
using directory::GroupGraph;
using directory::GroupMember;
using directory::MemberKind;

namespace {
constexpr Statement kAddressTaken{
    "groups_address_taken",
    "SELECT 1 FROM users WHERE address = $1 UNION ALL SELECT 1 FROM user_addresses WHERE address "
    "= $1 UNION ALL SELECT 1 FROM groups WHERE address = $1"};
constexpr Statement kInsert{
    "groups_insert", "INSERT INTO groups (address, display_name) VALUES ($1,$2) RETURNING id"};
constexpr Statement kList{
    "groups_list",
    "SELECT g.id, g.address, g.display_name, (SELECT count(*) FROM group_members m WHERE "
    "m.group_id = g.id) FROM groups g ORDER BY g.address"};
constexpr Statement kFind{
    "groups_find",
    "SELECT g.id, g.address, g.display_name, (SELECT count(*) FROM group_members m WHERE "
    "m.group_id = g.id) FROM groups g WHERE g.address = $1"};
constexpr Statement kAmong{"groups_among",
                           "SELECT address FROM groups WHERE address = ANY($1::text[]) ORDER BY "
                           "address"};
// What an address names: a user (primary or proxy) or a group.
constexpr Statement kClassify{
    "groups_classify",
    "SELECT 'u', id FROM users WHERE address = $1 UNION ALL SELECT 'u', user_id FROM "
    "user_addresses WHERE address = $1 UNION ALL SELECT 'g', id FROM groups WHERE address = $1"};
constexpr Statement kAddUser{"groups_add_user",
                             "INSERT INTO group_members (group_id, member_user_id) VALUES ($1,$2) "
                             "ON CONFLICT DO NOTHING"};
constexpr Statement kAddGroup{"groups_add_group",
                              "INSERT INTO group_members (group_id, member_group_id) VALUES "
                              "($1,$2) ON CONFLICT DO NOTHING"};
constexpr Statement kAddExternal{"groups_add_external",
                                 "INSERT INTO group_members (group_id, external_address) VALUES "
                                 "($1,$2) ON CONFLICT DO NOTHING"};
constexpr Statement kRemove{
    "groups_remove_member",
    "DELETE FROM group_members WHERE group_id = $1 AND (member_user_id = $2 OR member_group_id = "
    "$3 OR external_address = $4)"};
// Members with their kind, display address, id and enabled flag; by group, then address.
#define SMIMEGW_MEMBER_COLUMNS                                                                 \
  "m.group_id, CASE WHEN m.member_user_id IS NOT NULL THEN 'u' WHEN m.member_group_id IS NOT " \
  "NULL THEN 'g' ELSE 'e' END, coalesce(u.address, g.address, m.external_address) AS addr, "   \
  "coalesce(m.member_user_id, m.member_group_id, 0), coalesce(u.enabled, true) FROM "          \
  "group_members m LEFT JOIN users u ON u.id = m.member_user_id LEFT JOIN groups g ON g.id = " \
  "m.member_group_id "
constexpr Statement kMembers{
    "groups_members", "SELECT " SMIMEGW_MEMBER_COLUMNS "WHERE m.group_id = $1 ORDER BY addr"};
// Every group reachable from the root: UNION (not UNION ALL) stops at cycles.
#define SMIMEGW_REACH                                                                   \
  "WITH RECURSIVE reach(id) AS (SELECT id FROM groups WHERE address = $1 UNION SELECT " \
  "m.member_group_id FROM group_members m JOIN reach r ON m.group_id = r.id WHERE "     \
  "m.member_group_id IS NOT NULL) "
constexpr Statement kReachGroups{"groups_reach_groups", SMIMEGW_REACH
                                 "SELECT g.id, g.address, g.display_name FROM groups g JOIN "
                                 "reach r ON g.id = r.id ORDER BY g.id"};
constexpr Statement kReachEdges{"groups_reach_edges", SMIMEGW_REACH
                                "SELECT " SMIMEGW_MEMBER_COLUMNS
                                "WHERE m.group_id IN (SELECT id FROM reach) ORDER BY m.group_id, "
                                "addr LIMIT $2"};
#undef SMIMEGW_REACH
#undef SMIMEGW_MEMBER_COLUMNS

Group group_row(const pqxx::row& r) {
  return Group{.id = r[0].as<std::int64_t>(),
               .address = r[1].as<std::string>(),
               .display_name = r[2].as<std::string>(),
               .member_count = r.size() > 3 ? r[3].as<std::size_t>() : 0};
}

GroupGraph::Edge edge_row(const pqxx::row& r) {
  GroupGraph::Edge e;
  e.group_id = r[0].as<std::int64_t>();
  auto kind = r[1].as<std::string>();
  e.member.kind = kind == "u"   ? MemberKind::user
                  : kind == "g" ? MemberKind::group
                                : MemberKind::external;
  e.member.address = r[2].as<std::string>();
  e.member.id = r[3].as<std::int64_t>();
  e.member.enabled = r[4].as<bool>();
  return e;
}

std::vector<GroupMember> members_of(pqxx::work& tx, std::int64_t group_id) {
  std::vector<GroupMember> out;
  for (const auto& row : exec(tx, kMembers, group_id)) out.push_back(edge_row(row).member);
  return out;
}

struct Target {
  char kind = 'e';  ///< 'u', 'g', 'e'
  std::int64_t id = 0;
  std::string address;
};

Target classify(pqxx::work& tx, const std::string& address) {
  auto res = exec(tx, kClassify, address);
  if (res.empty()) return Target{'e', 0, address};
  return Target{res[0][0].as<std::string>()[0], res[0][1].as<std::int64_t>(), address};
}

// Resolves every entry first so that a refused change writes nothing.
core::Result<std::vector<GroupMember>> change(pqxx::work& tx, const std::string& group_address,
                                              const std::vector<std::string>& add,
                                              const std::vector<std::string>& remove) {
  auto g = exec(tx, kFind, group_address);
  if (g.empty())
    return core::Error::make("group_not_found", "no group with address " + group_address);
  auto gid = g[0][0].as<std::int64_t>();
  std::vector<Target> adds, removes;
  for (const auto& a : add) {
    adds.push_back(classify(tx, a));
    if (adds.back().kind == 'g' && adds.back().id == gid)
      return core::Error::make("bad_member", group_address + " cannot be a member of itself");
  }
  auto current = members_of(tx, gid);
  for (const auto& r : remove) {
    removes.push_back(classify(tx, r));
    const auto& t = removes.back();
    bool found = false;
    for (const auto& m : current)
      found = found || (t.kind == 'u' && m.kind == MemberKind::user && m.id == t.id) ||
              (t.kind == 'g' && m.kind == MemberKind::group && m.id == t.id) ||
              (t.kind == 'e' && m.kind == MemberKind::external && m.address == t.address);
    if (!found)
      return core::Error::make("not_a_member", r + " is not a member of " + group_address);
  }
  for (const auto& t : removes)
    exec(tx, kRemove, gid, t.kind == 'u' ? t.id : -1, t.kind == 'g' ? t.id : -1,
         t.kind == 'e' ? t.address : std::string());
  for (const auto& t : adds) {
    if (t.kind == 'u')
      exec(tx, kAddUser, gid, t.id);
    else if (t.kind == 'g')
      exec(tx, kAddGroup, gid, t.id);
    else
      exec(tx, kAddExternal, gid, t.address);
  }
  return members_of(tx, gid);
}

}  // namespace

asio::awaitable<core::Result<std::int64_t>> PgGroupStore::create(std::string address,
                                                                 std::string display_name) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::int64_t {
    if (!exec(tx, kAddressTaken, address).empty()) return -1;
    return exec1(tx, kInsert, address, display_name)[0].as<std::int64_t>();
  });
  if (!r) co_return r.error();
  if (*r < 0)
    co_return core::Error::make("db_duplicate", "address already belongs to a user or group");
  co_return *r;
}

asio::awaitable<core::Result<std::vector<Group>>> PgGroupStore::list() {
  co_return co_await pool_.transact([](pqxx::work& tx) {
    std::vector<Group> out;
    for (const auto& row : exec(tx, kList)) out.push_back(group_row(row));
    return out;
  });
}

asio::awaitable<core::Result<std::optional<Group>>> PgGroupStore::find(std::string address) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<Group> {
    auto res = exec(tx, kFind, address);
    if (res.empty()) return std::nullopt;
    return group_row(res[0]);
  });
}

asio::awaitable<core::Result<std::vector<std::string>>> PgGroupStore::groups_among(
    std::vector<std::string> addresses) {
  if (addresses.empty()) co_return std::vector<std::string>{};
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::string array = "{";
    for (const auto& a : addresses) {
      if (array.size() > 1) array += ',';
      array += '"';
      for (char c : a) {
        if (c == '"' || c == '\\') array += '\\';
        array += c;
      }
      array += '"';
    }
    array += '}';
    std::vector<std::string> out;
    for (const auto& row : exec(tx, kAmong, array)) out.push_back(row[0].as<std::string>());
    return out;
  });
}

asio::awaitable<core::Result<std::vector<GroupMember>>> PgGroupStore::change_members(
    std::string group_address, std::vector<std::string> add, std::vector<std::string> remove) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return change(tx, group_address, add, remove); });
  if (!r) co_return r.error();
  co_return std::move(*r);
}

asio::awaitable<core::Result<GroupGraph>> PgGroupStore::load_graph(std::string address,
                                                                   std::size_t max_edges) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> core::Result<GroupGraph> {
    // Both queries from one snapshot: under READ COMMITTED a nesting committed between them gave
    // edges into a group the first query had not listed (a member path with an empty step).
    tx.exec0("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    GroupGraph graph;
    auto groups = exec(tx, kReachGroups, address);
    if (groups.empty())
      return core::Error::make("group_not_found", "no group with address " + address);
    for (const auto& row : groups) {
      graph.groups.push_back(group_row(row));
      if (graph.groups.back().address == address) graph.root_id = graph.groups.back().id;
    }
    auto limit = static_cast<std::int64_t>(max_edges) + 1;
    for (const auto& row : exec(tx, kReachEdges, address, limit))
      graph.edges.push_back(edge_row(row));
    if (graph.edges.size() > max_edges) {
      graph.edges.resize(max_edges);
      graph.truncated = true;
    }
    return graph;
  });
  if (!r) co_return r.error();
  co_return std::move(*r);
}

}  // namespace smimegw::db
