#include "smimegw/app/cli.hpp"

#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "smimegw/version.hpp"

namespace smimegw::app {
namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  ///< argv[0] is the subcommand name
};

int cmd_version(int, char**) {
  std::cout << "smimegw " << kVersion << "\n";
  return 0;
}

// The one table of subcommands (later issues add rows here).
const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"serve", "run the gateway daemon (-c CONFIG)", cmd_serve},
      {"migrate", "apply database migrations (-c CONFIG)", cmd_migrate},
      {"check-config", "validate the configuration and print it, secrets redacted (-c CONFIG)",
       cmd_check_config},
      {"config-doc", "print the configuration reference (docs/configuration.md)", cmd_config_doc},
      {"queue", "list, show, retry or delete queued messages (-c CONFIG)", cmd_queue},
      {"users", "users: add, list, show, disable, enable, import-pkcs12, export-pkcs12 (-c CONFIG)",
       cmd_users},
      {"keys", "key vault: init, check, rotate NEW_FILE, gateway-init (-c CONFIG)", cmd_keys},
      {"trace", "show the decisions recorded for a queued message: trace QUEUE_ID (-c CONFIG)",
       cmd_trace},
      {"groups", "distribution groups: add, members, list, expand (-c CONFIG)", cmd_groups},
      {"resolve", "recipient certificates: resolve ADDRESS... [--sender A] [--json] (-c CONFIG)",
       cmd_resolve},
      {"trust", "manage the trusted CA collection: add FILE..., list, enable/disable/remove ID",
       cmd_trust},
      {"pki", "test PKI: init, issue, revoke, crl (--dir DIR)", cmd_pki},
      {"cert", "verify a certificate: chain, usage, revocation (cert verify --cert C ...)",
       cmd_cert},
      {"smime", "S/MIME messages: sign, encrypt, decrypt, verify (--in M.eml ...)", cmd_smime},
      {"pkcs12", "show a PKCS#12 file: pkcs12 show --in F.p12 --password-file P [--json]",
       cmd_pkcs12},
      {"admin", "admin API tokens: admin token create NAME | list | revoke NAME|ID (-c CONFIG)",
       cmd_admin},
      {"labels", "sensitivity labels: import FILE.yaml, list, show ID|NAME (-c CONFIG)",
       cmd_labels},
      {"smime-config", "organisation S/MIME settings: show, set KEY=VALUE... (-c CONFIG)",
       cmd_smime_config},
      {"version", "print the version", cmd_version},
  };
  return table;
}

void usage(std::ostream& out) {
  out << "usage: smimegw COMMAND [options]\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name = c.name;
    out << "  " << name << std::string(name.size() < 14 ? 14 - name.size() : 1, ' ') << c.summary
        << "\n";
  }
}

}  // namespace

void report(const std::string& message) {
  std::cerr << "smimegw: " << message << std::endl;
}

int run_cli(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "-h" || name == "--help" || name == "help") {
    usage(std::cout);
    return 0;
  }
  if (name == "--version") return cmd_version(argc - 1, argv + 1);
  for (const auto& c : commands())
    if (name == c.name) return c.run(argc - 1, argv + 1);
  report("unknown command \"" + name + "\" (see smimegw --help)");
  return 2;
}

}  // namespace smimegw::app
