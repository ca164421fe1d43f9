// app: trust options shared by `cert verify` and `smime verify` (trust_cli.hpp).
#include "trust_cli.hpp"

#include <cstdio>
#include <ctime>

#include "commands.hpp"
#include "database.hpp"
#include "smimegw/trust/cert_io.hpp"

namespace smimegw::app {

std::vector<OptionSpec> trust_option_specs() {
  return {{"trust", 0, true, true},       {"db", 0, false, false},  config_option(),
          {"untrusted", 0, true, true},   {"crl", 0, true, true},   {"at", 0, true, false},
          {"revocation", 0, true, false}, {"ocsp", 0, true, false}, {"offline", 0, false, false}};
}

std::optional<std::chrono::system_clock::time_point> parse_utc_time(const std::string& s) {
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

bool load_certificate_files(const std::vector<std::string>& files, const std::string& cmd,
                            std::vector<Botan::X509_Certificate>& out) {
  for (const auto& f : files) {
    auto certs = trust::load_certificates(f);
    if (!certs) {
      report(cmd + ": " + certs.error().code + ": " + certs.error().message);
      return false;
    }
    out.insert(out.end(), certs->begin(), certs->end());
  }
  return true;
}

namespace {

boost::json::array findings(const std::vector<trust::Finding>& v) {
  boost::json::array a;
  for (const auto& f : v)
    a.push_back({{"code", f.code}, {"message", f.message}, {"depth", f.depth}});
  return a;
}

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.push_back(boost::json::string(s));
  return a;
}

}  // namespace

boost::json::object trust_result_json(const trust::ValidationResult& r) {
  boost::json::object o;
  o["status"] = std::string(r.status());
  o["errors"] = findings(r.errors);
  o["warnings"] = findings(r.warnings);
  o["chain"] = strings(r.chain);
  o["revocation"] = strings(r.revocation_sources);
  o["emails"] = strings(r.emails);
  return o;
}

namespace {

int usage(const std::string& cmd, const std::string& what) {
  report(cmd + ": " + what);
  return 2;
}

}  // namespace

int make_trust_setup(const Args& args, const std::string& cmd, trust::ValidatorOptions opt,
                     TrustSetup& out) {
  if (args.has("trust") == args.has("db")) return usage(cmd, "give --trust R.pem... or --db");
  if (!load_certificate_files(args.all("untrusted"), cmd, out.untrusted)) return 2;
  out.at = std::chrono::system_clock::now();
  if (args.has("at")) {
    auto t = parse_utc_time(args.get("at"));
    if (!t) return usage(cmd, "--at wants YYYY-MM-DDTHH:MM:SSZ");
    out.at = *t;
  }
  auto mode = trust::parse_revocation_mode(args.get("revocation", "require"));
  if (!mode) return usage(cmd, "--revocation require|prefer|off");
  out.revocation = *mode;
  auto ocsp = trust::parse_ocsp_mode(args.get("ocsp", "off"));
  if (!ocsp) return usage(cmd, "--ocsp off|prefer|require");
  opt.ocsp = *ocsp;
  opt.fetch_crls = opt.fetch_aia = !args.has("offline");
  opt.cache_capacity = 0;

  if (args.has("db")) {
    auto cfg = load_config_or_report(config_path(args));
    if (!cfg) return 2;
    if (auto gate = check_database(*cfg); !gate) return usage(cmd, gate.error().message);
    if (!args.has("ocsp")) opt.ocsp = trust::parse_ocsp_mode(cfg->trust.ocsp).value_or(*ocsp);
    out.pool = std::make_unique<db::Pool>(connection_options(*cfg), 1);
    out.anchors = std::make_unique<db::PgAnchorStore>(*out.pool);
    out.crl_store = std::make_unique<db::PgCrlStore>(*out.pool);  // downloads are kept
    out.validator = std::make_unique<trust::Validator>(*out.anchors, out.crl_store.get(), opt);
  } else {
    std::vector<Botan::X509_Certificate> anchors;
    if (!load_certificate_files(args.all("trust"), cmd, anchors)) return 2;
    out.validator = std::make_unique<trust::Validator>(std::move(anchors), nullptr, opt);
  }
  for (const auto& f : args.all("crl")) {
    auto crls = trust::load_crls(f);
    if (!crls) return usage(cmd, f + ": " + crls.error().code);
    for (const auto& c : *crls)
      if (auto st = out.validator->crls().add(c, f); !st)
        return usage(cmd, f + ": " + st.error().code);
  }
  return 0;
}

}  // namespace smimegw::app
