// directory: storage interface for distribution groups (tables groups, group_members, migration
// 0006). Implemented by db (src/db/group_store.cpp); includes only core.
//
// A group has its own address, unique across users' primary addresses, proxy addresses and
// groups (checked by the store in the same transaction and by a database trigger). A member is a
// user (named by any of the user's addresses, stored by id, shown by primary address), another
// group (nesting; cycles are stored and reported by expansion, see group_expansion.hpp) or an
// external address. Errors: `db_duplicate` (address taken), `group_not_found`, `bad_member` (a
// group cannot be its own direct member), `db_unavailable`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::directory {

enum class MemberKind { user, group, external };

/// "user", "group", "external".
inline const char* to_string(MemberKind kind) {
  switch (kind) {
    case MemberKind::user:
      return "user";
    case MemberKind::group:
      return "group";
    case MemberKind::external:
      break;
  }
  return "external";
}

struct GroupMember {
  MemberKind kind = MemberKind::external;
  std::string address;  ///< user: primary address; group: the group's address; else the address
  std::int64_t id = 0;  ///< users.id / groups.id; 0 for an external address
  bool enabled = true;  ///< false for a disabled user
};

struct Group {
  std::int64_t id = 0;
  std::string address;  ///< lower-case
  std::string display_name;
  std::size_t member_count = 0;  ///< direct members
};

/// Every edge reachable from one group, loaded at once for expansion.
struct GroupGraph {
  struct Edge {
    std::int64_t group_id = 0;  ///< the group holding the member
    GroupMember member;
  };
  std::int64_t root_id = 0;
  std::vector<Group> groups;  ///< the groups reached (root included); member_count unset
  std::vector<Edge> edges;    ///< ordered by group, then member address
  bool truncated = false;     ///< more than the requested edge limit exists
};

class GroupStore {
 public:
  virtual ~GroupStore() = default;
  /// Creates a group; `db_duplicate` when the address belongs to a user, proxy or group.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> create(std::string address,
                                                                    std::string display_name) = 0;
  /// All groups by address.
  virtual boost::asio::awaitable<core::Result<std::vector<Group>>> list() = 0;
  /// The group owning `address`, if any (`member_count` filled in).
  virtual boost::asio::awaitable<core::Result<std::optional<Group>>> find(std::string address) = 0;
  /// Which of `addresses` (lower-case) are groups, in one query (recipient resolution asks this
  /// for every recipient list).
  virtual boost::asio::awaitable<core::Result<std::vector<std::string>>> groups_among(
      std::vector<std::string> addresses) = 0;
  /// Adds and removes members in one transaction and returns the resulting direct members.
  /// Each entry is an address: a user's primary or proxy address, a group, or else external.
  /// Adding an existing member is a no-op; removing a non-member is `not_a_member`.
  virtual boost::asio::awaitable<core::Result<std::vector<GroupMember>>> change_members(
      std::string group_address, std::vector<std::string> add, std::vector<std::string> remove) = 0;
  /// The graph reachable from the group owning `address` (one recursive query and one member
  /// query, from one snapshot), at most `max_edges` edges (then `truncated`). `group_not_found` if
  /// no such group.
  virtual boost::asio::awaitable<core::Result<GroupGraph>> load_graph(std::string address,
                                                                      std::size_t max_edges) = 0;
};

}  // namespace smimegw::directory
