// `smimegw resolve ADDRESS… [--sender ADDRESS] [--json] [-c CONFIG]`: which certificate the
// gateway would encrypt to for each recipient (groups expanded): GAL → the sender's installed
// certificates → ldap.endpoints, every candidate validated for encryption against the trust
// collection in the database (directory/resolver.hpp). Exit 0 when every recipient resolved, 1
// otherwise, 2 on usage or configuration errors.
#include <boost/json.hpp>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "directory_setup.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/crl_store.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/directory/resolver.hpp"

namespace smimegw::app {
namespace {

constexpr const char* kUsage =
    "usage: smimegw resolve ADDRESS... [--sender ADDRESS] [--json] [-c CONFIG]";

boost::json::object to_json(const directory::RecipientResolution& r) {
  boost::json::object o;
  o["address"] = r.address;
  o["via"] = boost::json::array(r.via.begin(), r.via.end());
  o["resolved"] = r.resolved();
  if (r.certificate) {
    const auto& c = *r.certificate;
    o["certificate"] = {{"source", c.source},
                        {"thumbprint", c.thumbprint},
                        {"subject", c.subject},
                        {"not_after", core::iso8601_utc(c.not_after)}};
  } else {
    o["reason"] = r.reason;
    o["detail"] = r.detail;
  }
  boost::json::array cands;
  for (const auto& c : r.candidates)
    cands.push_back({{"source", c.source},
                     {"thumbprint", c.thumbprint},
                     {"subject", c.subject},
                     {"not_before", core::iso8601_utc(c.not_before)},
                     {"not_after", core::iso8601_utc(c.not_after)},
                     {"valid", c.valid},
                     {"codes", boost::json::array(c.codes.begin(), c.codes.end())}});
  o["candidates"] = cands;
  return o;
}

void print_text(const directory::RecipientResolution& r) {
  std::string via;
  for (const auto& g : r.via) via += (via.empty() ? " (via " : " > ") + g;
  if (!via.empty()) via += ")";
  if (r.certificate)
    std::cout << r.address << via << ": " << r.certificate->source << " "
              << r.certificate->thumbprint << " expires "
              << core::iso8601_utc(r.certificate->not_after) << "\n";
  else
    std::cout << r.address << via << ": " << r.reason << " (" << r.detail << ")\n";
  for (const auto& c : r.candidates) {
    if (c.valid) continue;
    std::string codes;
    for (const auto& code : c.codes) codes += (codes.empty() ? "" : ",") + code;
    std::cout << "  candidate " << c.source << " " << c.thumbprint << ": " << codes << "\n";
  }
}

}  // namespace

int cmd_resolve(int argc, char** argv) {
  std::string err;
  auto args = parse_args(
      argc, argv, 1, {config_option(), {"sender", 0, true, false}, {"json", 0, false, false}}, err);
  if (!args || args->positional.empty()) {
    report(args ? kUsage : "resolve: " + err);
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  auto endpoints = ldap_endpoints(*cfg);
  if (!endpoints) {
    report("resolve: " + endpoints.error().message);
    return 2;
  }
  auto mode = trust::parse_revocation_mode(cfg->trust.revocation);
  if (auto gate = check_database(*cfg); !gate) {
    report("resolve: " + gate.error().message);
    return 2;
  }
  db::Pool pool(connection_options(*cfg), 2);
  db::PgAnchorStore anchors(pool);
  db::PgCrlStore crls(pool);
  db::PgCertificateStore certificates(pool);
  db::PgGroupStore groups(pool);
  trust::ValidatorOptions vopt;
  vopt.fetch.connect_timeout = std::chrono::milliseconds(cfg->trust.crl_connect_timeout_ms);
  vopt.fetch.total_timeout = std::chrono::milliseconds(cfg->trust.crl_total_timeout_ms);
  trust::Validator validator(anchors, &crls, vopt);
  std::unique_ptr<directory::LdapDirectory> ldap;
  if (!endpoints->empty())
    ldap = std::make_unique<directory::LdapDirectory>(*endpoints, ldap_options(*cfg));
  core::SystemClock clock;
  directory::ResolverOptions ropt;
  ropt.revocation = mode.value_or(trust::RevocationMode::require);
  ropt.groups = expansion_limits(*cfg);
  ropt.accept_user_trusted = cfg->sync.allow_user_trusted_certificates;
  directory::Resolver resolver(certificates, &groups, ldap.get(), validator, clock, ropt);
  auto results = core::run_sync(resolver.resolve(args->get("sender"), args->positional));
  if (!results) {
    report("resolve: " + results.error().code + ": " + results.error().message);
    return 1;
  }
  bool all = true;
  boost::json::array out;
  for (const auto& r : *results) {
    all = all && r.resolved();
    if (args->has("json"))
      out.push_back(to_json(r));
    else
      print_text(r);
  }
  if (args->has("json")) std::cout << boost::json::serialize(out) << "\n";
  return all ? 0 : 1;
}

}  // namespace smimegw::app
