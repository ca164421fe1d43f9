// directory: distribution-group expansion (ARCHITECTURE §2 invariant 5, §7).
//
// A group's members are users, external addresses and further groups. Expansion walks the graph
// depth-first from the group and returns every user and external address once, each with the
// path of group addresses that reached it (root first). The graph is loaded in one go by
// GroupStore::load_graph (a recursive query), never one query per member.
//
// Bounds, each reported as an ExpansionProblem rather than failing the whole expansion:
//   cycle           a group reached again while it is being expanded: not descended into; no
//                   member is lost (a cycle alone leaves the expansion complete)
//   depth_exceeded  a group nested deeper than max_depth (the root is level 1): not expanded,
//                   so its members are missing
//   member_cap      more than max_members distinct members: the rest is missing
//   timeout         the time limit passed (Exchange's DL expansion timeout, 60 s by default)
// complete() is false when any member may be missing; callers that must reach every member (for
// encryption) treat such a group as group_expansion_failed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/directory/group_store.hpp"

namespace smimegw::directory {

struct ExpansionLimits {
  std::size_t max_depth = 10;                ///< directory.group_max_depth
  std::size_t max_members = 5000;            ///< directory.group_max_members
  std::chrono::milliseconds timeout{60000};  ///< directory.group_expansion_timeout_s
};

struct ExpandedMember {
  GroupMember member;             ///< a user or an external address (never a group)
  std::vector<std::string> path;  ///< group addresses from the root to the member's group
};

struct ExpansionProblem {
  std::string code;               ///< cycle | depth_exceeded | member_cap | timeout
  std::vector<std::string> path;  ///< where it happened (for a cycle: ends with the repeated group)
  std::string message;
};

struct Expansion {
  std::string group;  ///< the root group's address
  std::vector<ExpandedMember> members;
  std::vector<ExpansionProblem> problems;
  /// No member missing (no problem other than cycles).
  bool complete() const;
};

/// Expands a loaded graph (pure; `now` is asked periodically against `deadline`).
Expansion expand_graph(const GroupGraph& graph, const ExpansionLimits& limits,
                       std::chrono::steady_clock::time_point deadline,
                       const std::function<std::chrono::steady_clock::time_point()>& now =
                           &std::chrono::steady_clock::now);

/// Loads a group's graph from the store and expands it within the limits.
class GroupExpander {
 public:
  GroupExpander(GroupStore& store, ExpansionLimits limits) : store_(store), limits_(limits) {}
  /// `group_not_found` if `address` is not a group; store errors pass through.
  boost::asio::awaitable<core::Result<Expansion>> expand(std::string address);
  const ExpansionLimits& limits() const { return limits_; }

 private:
  GroupStore& store_;
  ExpansionLimits limits_;
};

}  // namespace smimegw::directory
