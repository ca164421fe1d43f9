// app: `smimegw cert verify`, the trust validation service from the command line.
//
//   smimegw cert verify --cert C.pem [--untrusted I.pem...] [--trust R.pem... | --db [-c CONFIG]]
//       [--crl F...] [--at 2010-01-01T00:00:00Z] [--revocation require|prefer|off]
//       [--address a@b [--address proxy@b...]] [--usage sign|encrypt|any] [--json]
//       [--accept-weak] [--offline]
//
// Files are PEM (several objects per file allowed), DER or PKCS#7 certs-only. The first --address
// is the primary address, further ones are proxy addresses. --offline fetches nothing (no CRL DP,
// no AIA); with --db, downloaded CRLs and issuers are kept in crl_cache/fetched_certificates.
// --accept-weak allows SHA-1 signatures and 80-bit issuer keys (RSA-1024), e.g. for NIST PKITS.
// Exit codes: 0 valid, 1 invalid (codes printed), 2 usage error or unreadable input.
#include <boost/json.hpp>
#include <ctime>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/crl_store.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::app {
namespace {

constexpr const char* kUsage =
    "usage: smimegw cert verify --cert C.pem [--untrusted I.pem...] [--trust R.pem... | --db -c "
    "CONFIG] [--crl F...] [--at 2010-01-01T00:00:00Z] [--revocation require|prefer|off] "
    "[--address a@b...] [--usage sign|encrypt|any] [--json] [--accept-weak] [--offline]";

std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& s) {
  std::tm tm{};
  int y, mo, d, h = 0, mi = 0, sec = 0;
  char z = 0;
  int n = std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z);
  if (n != 3 && !(n == 7 && z == 'Z')) return std::nullopt;
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

boost::json::array findings(const std::vector<trust::Finding>& v) {
  boost::json::array a;
  for (const auto& f : v)
    a.push_back({{"code", f.code}, {"message", f.message}, {"depth", f.depth}});
  return a;
}

void print(const trust::ValidationResult& r, bool json) {
  if (json) {
    boost::json::object o;
    o["status"] = std::string(r.status());
    o["errors"] = findings(r.errors);
    o["warnings"] = findings(r.warnings);
    boost::json::array chain, rev, emails;
    for (const auto& c : r.chain) chain.push_back(boost::json::string(c));
    for (const auto& s : r.revocation_sources) rev.push_back(boost::json::string(s));
    for (const auto& e : r.emails) emails.push_back(boost::json::string(e));
    o["chain"] = chain;
    o["revocation"] = rev;
    o["emails"] = emails;
    std::cout << boost::json::serialize(o) << "\n";
    return;
  }
  std::cout << "status: " << r.status() << "\n";
  for (std::size_t i = 0; i < r.chain.size(); ++i)
    std::cout << "chain[" << i << "]: " << r.chain[i] << "\n";
  for (const auto& e : r.emails) std::cout << "email: " << e << "\n";
  for (const auto& s : r.revocation_sources) std::cout << "revocation: " << s << "\n";
  for (const auto& f : r.errors)
    std::cout << "error: " << f.code << " (depth " << f.depth << "): " << f.message << "\n";
  for (const auto& f : r.warnings)
    std::cout << "warning: " << f.code << " (depth " << f.depth << "): " << f.message << "\n";
}

bool load_all(const std::vector<std::string>& files, std::vector<Botan::X509_Certificate>& out) {
  for (const auto& f : files) {
    auto certs = trust::load_certificates(f);
    if (!certs) {
      report("cert verify: " + certs.error().code + ": " + certs.error().message);
      return false;
    }
    out.insert(out.end(), certs->begin(), certs->end());
  }
  return true;
}

int verify(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 2,
                         {{"cert", 0, true, false},
                          {"untrusted", 0, true, true},
                          {"trust", 0, true, true},
                          {"db", 0, false, false},
                          config_option(),
                          {"crl", 0, true, true},
                          {"at", 0, true, false},
                          {"revocation", 0, true, false},
                          {"address", 0, true, true},
                          {"usage", 0, true, false},
                          {"json", 0, false, false},
                          {"accept-weak", 0, false, false},
                          {"offline", 0, false, false}},
                         err);
  if (!args || !args->positional.empty() || !args->has("cert") ||
      (args->has("trust") == args->has("db"))) {
    report("cert verify: " + (!args ? err : std::string(kUsage)));
    return 2;
  }
  trust::ValidationRequest req;
  std::vector<Botan::X509_Certificate> leaf;
  if (!load_all({args->get("cert")}, leaf) ||
      !load_all(args->all("untrusted"), req.extra_certificates))
    return 2;
  req.certificate = leaf.front();
  for (std::size_t i = 1; i < leaf.size(); ++i) req.extra_certificates.push_back(leaf[i]);

  req.at = std::chrono::system_clock::now();
  if (args->has("at")) {
    auto t = parse_time(args->get("at"));
    if (!t) {
      report("cert verify: --at wants YYYY-MM-DDTHH:MM:SSZ");
      return 2;
    }
    req.at = *t;
  }
  auto mode = trust::parse_revocation_mode(args->get("revocation", "require"));
  std::string usage = args->get("usage", "any");
  auto op = usage == "sign" ? std::optional(trust::Operation::verify_signature)
                            : trust::parse_operation(usage);
  if (!mode || !op) {
    report("cert verify: --revocation require|prefer|off, --usage sign|encrypt|any");
    return 2;
  }
  req.revocation = *mode;
  req.operation = *op;
  const auto& addresses = args->all("address");
  if (!addresses.empty()) {
    req.address = addresses.front();
    req.proxy_addresses.assign(addresses.begin() + 1, addresses.end());
  }

  trust::ValidatorOptions opt;
  opt.accept_sha1 = args->has("accept-weak");
  if (opt.accept_sha1) opt.min_key_strength = 80;
  opt.fetch_crls = opt.fetch_aia = !args->has("offline");
  opt.cache_capacity = 0;

  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgAnchorStore> store;
  std::unique_ptr<db::PgCrlStore> crl_store;
  std::unique_ptr<trust::Validator> validator;
  if (args->has("db")) {
    auto cfg = load_config_or_report(config_path(*args));
    if (!cfg) return 2;
    if (auto gate = check_database(*cfg); !gate) {
      report("cert verify: " + gate.error().message);
      return 2;
    }
    pool = std::make_unique<db::Pool>(connection_options(*cfg), 1);
    store = std::make_unique<db::PgAnchorStore>(*pool);
    crl_store = std::make_unique<db::PgCrlStore>(*pool);  // downloaded CRLs/issuers are kept
    validator = std::make_unique<trust::Validator>(*store, crl_store.get(), opt);
  } else {
    std::vector<Botan::X509_Certificate> anchors;
    if (!load_all(args->all("trust"), anchors)) return 2;
    validator = std::make_unique<trust::Validator>(std::move(anchors), nullptr, opt);
  }
  for (const auto& f : args->all("crl")) {
    auto crls = trust::load_crls(f);
    if (!crls) {
      report("cert verify: " + f + ": " + crls.error().code);
      return 2;
    }
    for (const auto& c : *crls)
      if (auto st = validator->crls().add(c, f); !st) {
        report("cert verify: " + f + ": " + st.error().code);
        return 2;
      }
  }
  auto r = validator->validate(req);
  print(r, args->has("json"));
  return r.valid ? 0 : 1;
}

}  // namespace

int cmd_cert(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) != "verify") {
    report(kUsage);
    return 2;
  }
  return verify(argc, argv);
}

}  // namespace smimegw::app
