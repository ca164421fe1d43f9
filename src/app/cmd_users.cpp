// `smimegw users add|list|show|disable|enable|import-pkcs12|export-pkcs12 … -c CONFIG` (issue 6).
// add/list/disable/enable are here; show and the PKCS#12 commands in cmd_users_certs.cpp. The
// logic lives in the directory services; this file parses arguments and prints.
#include <boost/json.hpp>
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/password.hpp"
#include "users_cli.hpp"

namespace smimegw::app {

namespace {

constexpr const char* kUsage =
    "usage: smimegw users add ADDRESS [--name NAME] [--password-file P] [--proxy ADDRESS…] | "
    "list [--json] | show ADDRESS [--json] | disable ADDRESS | enable ADDRESS | import-pkcs12 "
    "ADDRESS FILE --password-file P [--force] | export-pkcs12 ADDRESS OUT --password-file P  "
    "[-c CONFIG]";

int add(const Args& a) {
  if (a.positional.size() != 2) {
    report(kUsage);
    return 2;
  }
  auto addr = core::Address::parse(a.positional[1]);
  if (!addr) {
    report("users add: " + addr.error().message);
    return 2;
  }
  directory::User user;
  user.address = addr->key();
  user.display_name = a.get("name");
  for (const auto& p : a.all("proxy")) {
    auto pa = core::Address::parse(p);
    if (!pa) {
      report("users add: --proxy " + p + ": " + pa.error().message);
      return 2;
    }
    user.proxy_addresses.push_back(pa->key());
  }
  if (a.has("password-file")) {
    std::ifstream in(a.get("password-file"));
    std::string password;
    if (!in || !std::getline(in, password) || password.empty()) {
      report("users add: cannot read a password from " + a.get("password-file"));
      return 2;
    }
    user.password_hash = directory::hash_password(password);
  }
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  db::Pool pool(connection_options(*cfg), 1);
  db::PgUserStore store(pool);
  auto id = core::run_sync(store.create(user));
  if (!id) {
    report("users add: " + (id.error().code == "db_duplicate"
                                ? user.address + ": " + id.error().message
                                : id.error().message));
    return 1;
  }
  std::cout << "user " << *id << " " << user.address << "\n";
  return 0;
}

int list(const Args& a) {
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  if (auto gate = check_database(*cfg); !gate) {
    report("users list: " + gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgUserStore store(pool);
  auto users = core::run_sync(store.list());
  if (!users) {
    report("users list: " + users.error().message);
    return 1;
  }
  if (a.has("json")) {
    boost::json::array out;
    for (const auto& u : *users) {
      boost::json::array proxies;
      for (const auto& p : u.proxy_addresses) proxies.emplace_back(p);
      out.push_back({{"id", u.id},
                     {"address", u.address},
                     {"display_name", u.display_name},
                     {"enabled", u.enabled},
                     {"proxy_addresses", proxies}});
    }
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  for (const auto& u : *users) {
    std::cout << u.id << "\t" << u.address << "\t" << (u.enabled ? "enabled" : "disabled") << "\t"
              << u.display_name;
    for (const auto& p : u.proxy_addresses) std::cout << "\tproxy:" << p;
    std::cout << "\n";
  }
  return 0;
}

int set_enabled(const Args& a, bool enabled) {
  const char* verb = enabled ? "users enable" : "users disable";
  if (a.positional.size() != 2) {
    report(kUsage);
    return 2;
  }
  auto addr = core::Address::parse(a.positional[1]);
  if (!addr) {
    report(std::string(verb) + ": " + addr.error().message);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(a));
  if (!cfg) return 2;
  if (auto gate = check_database(*cfg); !gate) {
    report(std::string(verb) + ": " + gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgUserStore store(pool);
  auto st = core::run_sync(store.set_enabled(addr->key(), enabled));
  if (!st) {
    report(std::string(verb) + ": " + st.error().message);
    return 1;
  }
  std::cout << addr->key() << " " << (enabled ? "enabled" : "disabled") << "\n";
  return 0;
}

}  // namespace

int cmd_users(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1,
                         {config_option(),
                          {"name", 0, true, false},
                          {"password-file", 0, true, false},
                          {"proxy", 0, true, true},
                          {"json", 0, false, false},
                          {"force", 0, false, false}},
                         err);
  if (!args || args->positional.empty()) {
    report(args ? kUsage : "users: " + err);
    return 2;
  }
  const auto& verb = args->positional[0];
  if (verb == "add") return add(*args);
  if (verb == "list" && args->positional.size() == 1) return list(*args);
  if (verb == "disable") return set_enabled(*args, false);
  if (verb == "enable") return set_enabled(*args, true);
  if (verb == "show" && args->positional.size() == 2) return users_show(*args);
  if (verb == "import-pkcs12" && args->positional.size() == 3) return users_import_pkcs12(*args);
  if (verb == "export-pkcs12" && args->positional.size() == 3) return users_export_pkcs12(*args);
  report(kUsage);
  return 2;
}

}  // namespace smimegw::app
