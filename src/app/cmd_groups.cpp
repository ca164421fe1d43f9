// `smimegw groups add ADDRESS [--name NAME]`, `groups members ADDRESS [--add X…] [--remove X…]`,
// `groups list`, `groups expand ADDRESS [--json]` (all take -c CONFIG). A member X is a user
// (primary or proxy address), a group, or else an external address. `expand` exits 1 when the
// expansion is incomplete (depth, member cap or time limit); cycles are reported, not failures.
#include <boost/json.hpp>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "directory_setup.hpp"
#include "group_render.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/db/pg_group_store.hpp"

namespace smimegw::app {
namespace {

constexpr const char* kUsage =
    "usage: smimegw groups add ADDRESS [--name NAME] | members ADDRESS [--add X]... [--remove "
    "X]... | list | expand ADDRESS [--json]  [-c CONFIG]";

std::optional<std::string> address_key(const std::string& text, const std::string& what) {
  auto a = core::Address::parse(text);
  if (!a) {
    report("groups: " + what + " " + text + ": " + a.error().message);
    return std::nullopt;
  }
  return a->key();
}

void print_members(const std::vector<directory::GroupMember>& members) {
  for (const auto& m : members)
    std::cout << directory::to_string(m.kind) << " " << m.address
              << (m.enabled ? "" : " (disabled)") << "\n";
}

std::string join_path(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : " > ") + p;
  return out;
}

void print_expansion(const directory::Expansion& e, bool json) {
  if (json) {
    auto o = expansion_json(e);
    std::cout << boost::json::serialize(o) << "\n";
    return;
  }
  for (const auto& m : e.members)
    std::cout << m.member.address << "\t" << directory::to_string(m.member.kind)
              << (m.member.enabled ? "" : " (disabled)") << "\tvia " << join_path(m.path) << "\n";
  for (const auto& p : e.problems) std::cout << p.code << ": " << p.message << "\n";
  std::cout << e.members.size() << " member(s)" << (e.complete() ? "" : ", INCOMPLETE") << "\n";
}

int fail(const std::string& what, const core::Error& e) {
  report("groups " + what + ": " + e.code + ": " + e.message);
  return 1;
}

}  // namespace

int cmd_groups(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1,
                         {config_option(),
                          {"name", 0, true, false},
                          {"add", 0, true, true},
                          {"remove", 0, true, true},
                          {"json", 0, false, false}},
                         err);
  if (!args || args->positional.empty()) {
    report(args ? kUsage : "groups: " + err);
    return 2;
  }
  const auto& pos = args->positional;
  const std::string verb = pos[0];
  bool needs_address = verb == "add" || verb == "members" || verb == "expand";
  if ((verb != "list" && !needs_address) || pos.size() != (needs_address ? 2u : 1u)) {
    report(kUsage);
    return 2;
  }
  std::string address;
  if (needs_address) {
    auto key = address_key(pos[1], "address");
    if (!key) return 2;
    address = *key;
  }
  std::vector<std::string> add, remove;
  for (const auto& x : args->all("add")) {
    auto key = address_key(x, "--add");
    if (!key) return 2;
    add.push_back(*key);
  }
  for (const auto& x : args->all("remove")) {
    auto key = address_key(x, "--remove");
    if (!key) return 2;
    remove.push_back(*key);
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  if (auto gate = check_database(*cfg); !gate) {
    report("groups: " + gate.error().message);
    return 2;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgGroupStore store(pool);
  if (verb == "add") {
    auto id = core::run_sync(store.create(address, args->get("name")));
    if (!id) return fail("add", id.error());
    std::cout << "group " << *id << " " << address << "\n";
    return 0;
  }
  if (verb == "members") {
    auto members = core::run_sync(store.change_members(address, add, remove));
    if (!members) return fail("members", members.error());
    print_members(*members);
    return 0;
  }
  if (verb == "list") {
    auto groups = core::run_sync(store.list());
    if (!groups) return fail("list", groups.error());
    for (const auto& g : *groups)
      std::cout << g.address << "\t" << g.member_count << " member(s)\t" << g.display_name << "\n";
    return 0;
  }
  directory::GroupExpander expander(store, expansion_limits(*cfg));
  auto e = core::run_sync(expander.expand(address));
  if (!e) return fail("expand", e.error());
  print_expansion(*e, args->has("json"));
  return e->complete() ? 0 : 1;
}

}  // namespace smimegw::app
