// `smimegw users add ADDRESS [--name NAME] [--password-file P] [--proxy ADDRESS…]` (the directory
// issue adds list/show/disable and certificates).
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/password.hpp"
#include "sync_run.hpp"

namespace smimegw::app {

int cmd_users(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1,
                         {config_option(),
                          {"name", 0, true, false},
                          {"password-file", 0, true, false},
                          {"proxy", 0, true, true}},
                         err);
  if (!args || args->positional.size() != 2 || args->positional[0] != "add") {
    report(args ? "usage: smimegw users add ADDRESS [--name NAME] [--password-file P] [--proxy "
                  "ADDRESS…] [-c CONFIG]"
                : "users: " + err);
    return 2;
  }
  auto addr = core::Address::parse(args->positional[1]);
  if (!addr) {
    report("users add: " + addr.error().message);
    return 2;
  }
  directory::User user;
  user.address = addr->key();
  user.display_name = args->get("name");
  for (const auto& p : args->all("proxy")) {
    auto pa = core::Address::parse(p);
    if (!pa) {
      report("users add: --proxy " + p + ": " + pa.error().message);
      return 2;
    }
    user.proxy_addresses.push_back(pa->key());
  }
  if (args->has("password-file")) {
    std::ifstream in(args->get("password-file"));
    std::string password;
    if (!in || !std::getline(in, password) || password.empty()) {
      report("users add: cannot read a password from " + args->get("password-file"));
      return 2;
    }
    user.password_hash = directory::hash_password(password);
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  db::Pool pool(connection_options(*cfg), 1);
  db::PgUserStore store(pool);
  auto id = run_sync(store.create(user));
  if (!id) {
    report("users add: " + (id.error().code == "db_duplicate"
                                ? user.address + ": " + id.error().message
                                : id.error().message));
    return 1;
  }
  std::cout << "user " << *id << " " << user.address << "\n";
  return 0;
}

}  // namespace smimegw::app
