#include "smimegw/directory/group_expansion.hpp"

#include <unordered_map>
#include <unordered_set>

namespace smimegw::directory {

namespace {

std::string join(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : " > ") + p;
  return out;
}

class Walker {
 public:
  Walker(const GroupGraph& graph, const ExpansionLimits& limits,
         std::chrono::steady_clock::time_point deadline,
         const std::function<std::chrono::steady_clock::time_point()>& now, Expansion& out)
      : limits_(limits), deadline_(deadline), now_(now), out_(out) {
    for (const auto& g : graph.groups) address_[g.id] = g.address;
    for (const auto& e : graph.edges) children_[e.group_id].push_back(&e);
  }

  void walk(std::int64_t group_id) {
    path_.push_back(address_[group_id]);
    on_path_.insert(group_id);
    for (const auto* e : children_[group_id]) {
      if (stopped_ || !step()) break;
      if (e->member.kind == MemberKind::group)
        descend(e->member);
      else
        add(e->member);
    }
    on_path_.erase(group_id);
    done_.insert(group_id);
    path_.pop_back();
  }

 private:
  void descend(const GroupMember& g) {
    if (on_path_.count(g.id)) {
      auto p = path_;
      p.push_back(g.address);
      out_.problems.push_back({"cycle", p, "group loop: " + join(p)});
      return;
    }
    if (done_.count(g.id)) return;  // reached before by another path: members already listed
    if (path_.size() + 1 > limits_.max_depth) {
      auto p = path_;
      p.push_back(g.address);
      out_.problems.push_back({"depth_exceeded", p,
                               "group nested deeper than " + std::to_string(limits_.max_depth) +
                                   " levels not expanded: " + join(p)});
      return;
    }
    walk(g.id);
  }

  void add(const GroupMember& m) {
    if (!seen_.insert(m.address).second) return;
    if (out_.members.size() >= limits_.max_members) {
      out_.problems.push_back(
          {"member_cap", path_,
           "more than " + std::to_string(limits_.max_members) + " members; expansion stopped"});
      stopped_ = true;
      return;
    }
    out_.members.push_back({m, path_});
  }

  // The clock is read every 256 steps; false once the deadline has passed.
  bool step() {
    if ((++steps_ & 0xff) != 0 || now_() < deadline_) return true;
    out_.problems.push_back({"timeout", path_, "group expansion time limit reached"});
    stopped_ = true;
    return false;
  }

  const ExpansionLimits& limits_;
  std::chrono::steady_clock::time_point deadline_;
  const std::function<std::chrono::steady_clock::time_point()>& now_;
  Expansion& out_;
  std::unordered_map<std::int64_t, std::string> address_;
  std::unordered_map<std::int64_t, std::vector<const GroupGraph::Edge*>> children_;
  std::unordered_set<std::int64_t> on_path_, done_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> path_;
  std::size_t steps_ = 0;
  bool stopped_ = false;
};

}  // namespace

bool Expansion::complete() const {
  for (const auto& p : problems)
    if (p.code != "cycle") return false;
  return true;
}

Expansion expand_graph(const GroupGraph& graph, const ExpansionLimits& limits,
                       std::chrono::steady_clock::time_point deadline,
                       const std::function<std::chrono::steady_clock::time_point()>& now) {
  Expansion out;
  for (const auto& g : graph.groups)
    if (g.id == graph.root_id) out.group = g.address;
  if (now() >= deadline) {
    out.problems.push_back({"timeout", {out.group}, "group expansion time limit reached"});
    return out;
  }
  Walker(graph, limits, deadline, now, out).walk(graph.root_id);
  if (graph.truncated && out.complete())
    out.problems.push_back({"member_cap",
                            {out.group},
                            "group graph larger than the member limit allows; expansion stopped"});
  return out;
}

boost::asio::awaitable<core::Result<Expansion>> GroupExpander::expand(std::string address) {
  auto deadline = std::chrono::steady_clock::now() + limits_.timeout;
  // Edges include nested-group links and repeated members, so allow more than max_members.
  auto max_edges = std::max<std::size_t>(4 * limits_.max_members, 10000);
  auto graph = co_await store_.load_graph(address, max_edges);
  if (!graph) co_return graph.error();
  co_return expand_graph(*graph, limits_, deadline);
}

}  // namespace smimegw::directory
