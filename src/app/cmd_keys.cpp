// `smimegw keys init [--file F] | check | rotate NEW_FILE  -c CONFIG` — the key vault's KEK
// (include/smimegw/directory/key_vault.hpp).
//   init    creates keys.kek_file (or --file F): 32 random bytes, mode 0600; never overwrites.
//   check   keys.kek_file loads and is the KEK of every stored private key (what `serve` checks).
//   rotate  re-wraps every stored key under NEW_FILE (created when missing) in one transaction,
//           then tells the operator to point keys.kek_file at it. Keys already under NEW_FILE
//           are kept (a rotation run again finishes one that keys imported meanwhile spoiled).
// Exit codes: 0 done, 1 refused/failed (code and reason on stderr), 2 usage or bad config.
#include <botan/auto_rng.h>

#include <cstdio>
#include <iostream>

#include "args.hpp"
#include "certificate_setup.hpp"
#include "commands.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/db/pg_gateway_key_store.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/key_rotation.hpp"

namespace smimegw::app {

namespace {

constexpr const char* kUsage =
    "usage: smimegw keys init [--file F] | check | rotate NEW_FILE | gateway-init  [-c CONFIG]";

int failed(const std::string& verb, const core::Error& e) {
  report("keys " + verb + ": " + e.code + ": " + e.message);
  return 1;
}

int init(const Args& a, const config::Config& cfg) {
  std::string path = a.get("file", cfg.keys.kek_file);
  Botan::AutoSeeded_RNG rng;
  auto id = directory::KeyVault::create_kek_file(path, rng);
  if (!id) return failed("init", id.error());
  std::cout << "created " << path << " (mode 0600, KEK id " << *id
            << "); back it up: without it no stored private key can be used\n";
  return 0;
}

// Creates the organisation's gateway key (serve does it too when it is missing) and prints it.
int gateway_init(const config::Config& cfg) {
  auto setup = open_certificate_setup(cfg, true);
  if (!setup) return failed("gateway-init", setup.error());
  db::PgGatewayKeyStore store((*setup)->pool);
  directory::GatewayKeyService service(store, &*(*setup)->vault);
  auto key = core::run_sync(service.ensure(cfg.organization.name));
  if (!key) return failed("gateway-init", key.error());
  std::cout << "gateway key " << (*key)->thumbprint << " ("
            << (*key)->certificate.subject_dn().to_string() << ")\n";
  return 0;
}

int check(const config::Config& cfg) {
  auto setup = open_certificate_setup(cfg, true);
  if (!setup) return failed("check", setup.error());
  std::cout << "ok: " << cfg.keys.kek_file << " is KEK " << (*setup)->vault->kek_id() << "\n";
  return 0;
}

int rotate(const Args& a, const config::Config& cfg) {
  // The KEK check is made here rather than by open_certificate_setup: keys imported while a
  // gateway still ran with the old KEK after an earlier rotation leave the store mixed (old and
  // new KEK), and running the same rotation again is how that is finished.
  auto setup = open_certificate_setup(cfg, false);
  if (!setup) return failed("rotate", setup.error());
  auto old_vault = directory::KeyVault::load(cfg.keys.kek_file);
  if (!old_vault) return failed("rotate", old_vault.error());
  auto stored = core::run_sync((*setup)->certs.kek_ids());
  if (!stored) return failed("rotate", stored.error());
  std::string new_path = a.positional[1];
  bool created = false;
  auto fresh = directory::KeyVault::load(new_path);
  if (!fresh && fresh.error().code == "kek_missing") {
    Botan::AutoSeeded_RNG rng;
    auto id = directory::KeyVault::create_kek_file(new_path, rng);
    if (!id) return failed("rotate", id.error());
    created = true;
    fresh = directory::KeyVault::load(new_path);
  }
  if (!fresh) return failed("rotate", fresh.error());
  if (fresh->kek_id() == old_vault->kek_id()) {
    report("keys rotate: " + new_path + " holds the same KEK as keys.kek_file");
    return 1;
  }
  for (const auto& id : *stored)
    if (id != old_vault->kek_id() && id != fresh->kek_id()) {
      if (created) std::remove(new_path.c_str());
      return failed("rotate",
                    core::Error::make("kek_mismatch",
                                      "stored private keys are wrapped under KEK " + id +
                                          ", neither keys.kek_file's (" + old_vault->kek_id() +
                                          ") nor " + new_path + "'s (" + fresh->kek_id() + ")"));
    }
  const auto& old_ref = *old_vault;
  auto n = core::run_sync(directory::rotate_kek((*setup)->certs, old_ref, *fresh, cli_actor()));
  if (!n) {
    // a clear failure rolled back: the new file protects nothing, remove the one we made
    if (created && n.error().code != "db_in_doubt") std::remove(new_path.c_str());
    return failed("rotate", n.error());
  }
  std::cout << "re-wrapped " << *n << " private keys from KEK " << old_ref.kek_id() << " to KEK "
            << fresh->kek_id() << " in one transaction.\n"
            << "Now set keys.kek_file: " << new_path << " in " << cfg.source_file
            << " and restart the gateway; keep the old KEK file until then, and destroy it "
               "afterwards.\n";
  return 0;
}

}  // namespace

int cmd_keys(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option(), {"file", 0, true, false}}, err);
  if (!args || args->positional.empty()) {
    report(args ? kUsage : "keys: " + err);
    return 2;
  }
  const auto& verb = args->positional[0];
  bool shape_ok = (verb == "init" && args->positional.size() == 1) ||
                  (verb == "check" && args->positional.size() == 1) ||
                  (verb == "gateway-init" && args->positional.size() == 1) ||
                  (verb == "rotate" && args->positional.size() == 2);
  if (!shape_ok || (args->has("file") && verb != "init")) {
    report(kUsage);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  if (verb == "init") return init(*args, *cfg);
  if (verb == "check") return check(*cfg);
  if (verb == "gateway-init") return gateway_init(*cfg);
  return rotate(*args, *cfg);
}

}  // namespace smimegw::app
