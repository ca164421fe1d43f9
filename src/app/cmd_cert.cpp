// app: `smimegw cert verify`, the trust validation service from the command line.
//
//   smimegw cert verify --cert C.pem [--untrusted I.pem...] [--trust R.pem... | --db [-c CONFIG]]
//       [--crl F...] [--at 2010-01-01T00:00:00Z] [--revocation require|prefer|off]
//       [--address a@b [--address proxy@b...]] [--usage sign|encrypt|any] [--json]
//       [--accept-weak] [--offline] [--ocsp off|prefer|require]
//
// Files are PEM (several objects per file allowed), DER or PKCS#7 certs-only. The first --address
// is the primary address, further ones are proxy addresses. --offline fetches nothing (no CRL DP,
// no AIA); with --db, downloaded CRLs and issuers are kept in crl_cache/fetched_certificates.
// --accept-weak allows SHA-1 signatures and 80-bit issuer keys (RSA-1024), e.g. for NIST PKITS.
// --ocsp asks the AIA OCSP responder of each certificate that names one (default: off, or
// trust.ocsp with --db).
// Exit codes: 0 valid, 1 invalid (codes printed), 2 usage error or unreadable input.
#include <boost/json.hpp>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "trust_cli.hpp"

namespace smimegw::app {
namespace {

constexpr const char* kUsage =
    "usage: smimegw cert verify --cert C.pem [--untrusted I.pem...] [--trust R.pem... | --db -c "
    "CONFIG] [--crl F...] [--at 2010-01-01T00:00:00Z] [--revocation require|prefer|off] "
    "[--address a@b...] [--usage sign|encrypt|any] [--json] [--accept-weak] [--offline] "
    "[--ocsp off|prefer|require]";

void print(const trust::ValidationResult& r, bool json) {
  if (json) {
    std::cout << boost::json::serialize(trust_result_json(r)) << "\n";
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

int verify(int argc, char** argv) {
  std::string err;
  auto spec = trust_option_specs();
  for (OptionSpec o : std::vector<OptionSpec>{{"cert", 0, true, false},
                                              {"address", 0, true, true},
                                              {"usage", 0, true, false},
                                              {"json", 0, false, false},
                                              {"accept-weak", 0, false, false}})
    spec.push_back(o);
  auto args = parse_args(argc, argv, 2, spec, err);
  if (!args || !args->positional.empty() || !args->has("cert") ||
      (args->has("trust") == args->has("db"))) {
    report("cert verify: " + (!args ? err : std::string(kUsage)));
    return 2;
  }
  std::vector<Botan::X509_Certificate> leaf;
  if (!load_certificate_files({args->get("cert")}, "cert verify", leaf)) return 2;
  std::string usage = args->get("usage", "any");
  auto op = usage == "sign" ? std::optional(trust::Operation::verify_signature)
                            : trust::parse_operation(usage);
  if (!op) {
    report("cert verify: --revocation require|prefer|off, --usage sign|encrypt|any");
    return 2;
  }
  trust::ValidatorOptions opt;
  opt.accept_sha1 = args->has("accept-weak");
  if (opt.accept_sha1) opt.min_key_strength = 80;
  TrustSetup setup;
  if (int rc = make_trust_setup(*args, "cert verify", opt, setup); rc != 0) return rc;

  trust::ValidationRequest req;
  req.certificate = leaf.front();
  req.extra_certificates = setup.untrusted;
  for (std::size_t i = 1; i < leaf.size(); ++i) req.extra_certificates.push_back(leaf[i]);
  req.at = setup.at;
  req.revocation = setup.revocation;
  req.operation = *op;
  const auto& addresses = args->all("address");
  if (!addresses.empty()) {
    req.address = addresses.front();
    req.proxy_addresses.assign(addresses.begin() + 1, addresses.end());
  }
  auto r = setup.validator->validate(req);
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
