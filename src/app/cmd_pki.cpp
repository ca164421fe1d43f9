// app: `smimegw pki init|issue|revoke|crl`, the test PKI (state and file layout in pki.hpp).
//
//   smimegw pki init   --dir D [--name "Test Root"] [--key rsa2048|rsa3072|p256|p384]
//                      [--intermediate] [--crl-url URL] [--aia-url URL]
//                      [--days N] [--not-before T]
//   smimegw pki issue  --dir D --email a@contoso.test [--email ...] [--name "Alice"]
//                      [--usage sign|encrypt|both] [--key ...] [--eku email|none|serverAuth]
//                      [--crl-url URL ...] [--aia-url URL] [--ocsp-url URL]
//                      [--days N] [--not-before T] [--subject-email] [--no-san] [--from-root]
//                      [--out-cert C.pem] [--out-key K.pem] [--out-p12 F.p12 --password-file P]
//   smimegw pki revoke --dir D (--serial HEX | --cert C.pem) [--reason keyCompromise|...]
//   smimegw pki crl    --dir D --out F.crl [--next-update-days N] [--ca root|issuing]
//                      [--this-update T]   (a past T with few days gives an expired CRL)
//
// T is YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or relative (-30d, +2h). Defaults: RSA-2048, usage both,
// EKU emailProtection, 365 days (init: 3650) from one hour ago. Output on stdout is key=value
// lines (serial=, cert=, key=, root=, intermediate=, crl=) for scripts. Commands on the same
// directory are serialised by a lock file, so parallel tests may share one PKI. Exit codes: 0 done,
// 1 the operation failed (state, I/O, crypto), 2 usage error.
#include <botan/auto_rng.h>
#include <fcntl.h>
#include <sys/file.h>

#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "pki.hpp"
#include "smimegw/cms/pkcs12.hpp"

namespace smimegw::app {
namespace {

namespace fs = std::filesystem;

int usage_error(const std::string& msg) {
  report("pki: " + msg);
  return 2;
}

int failed(const core::Error& e) {
  report("pki: " + e.message);
  return e.code == "pki_usage" ? 2 : 1;
}

std::optional<int> parse_int(const std::string& s, int lo, int hi) {
  try {
    std::size_t used = 0;
    int v = std::stoi(s, &used);
    if (used == s.size() && v >= lo && v <= hi) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// --days and --not-before, shared by init and issue. Returns an exit code on error.
std::optional<int> read_validity(const Args& a, pki::Validity& v) {
  if (a.has("days")) {
    auto d = parse_int(a.get("days"), 1, 36500);
    if (!d) return usage_error("--days wants a number of days from 1 to 36500");
    v.days = *d;
  }
  if (a.has("not-before")) {
    auto t = pki::parse_time(a.get("not-before"));
    if (!t) return failed(t.error());
    v.not_before = *t;
  }
  return std::nullopt;
}

std::optional<int> read_key(const Args& a, pki::KeyKind& k) {
  if (!a.has("key")) return std::nullopt;
  auto kk = pki::parse_key_kind(a.get("key"));
  if (!kk) return usage_error("--key must be rsa2048, rsa3072, p256 or p384");
  k = *kk;
  return std::nullopt;
}

int run_init(const Args& a) {
  pki::InitOptions o;
  o.name = a.get("name", o.name);
  o.intermediate = a.has("intermediate");
  o.crl_url = a.get("crl-url");
  o.aia_url = a.get("aia-url");
  if (auto rc = read_key(a, o.key)) return *rc;
  if (auto rc = read_validity(a, o.validity)) return *rc;
  auto d = pki::Directory::init(a.get("dir"), o);
  if (!d) return failed(d.error());
  std::cout << "root=" << (d->path() / "root.pem").string() << "\n";
  if (d->intermediate())
    std::cout << "intermediate=" << (d->path() / "intermediate.pem").string() << "\n";
  std::cout << "serial=" << pki::serial_hex(d->root().certificate.serial_number()) << "\n";
  return 0;
}

int write_p12(const Args& a, const pki::Directory& d, const pki::Issued& issued) {
  if (!a.has("password-file")) return usage_error("--out-p12 needs --password-file");
  auto pw = pki::read_text(a.get("password-file"));
  if (!pw) return failed(pw.error());
  std::string password = *pw;
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
    password.pop_back();
  cms::Pkcs12ExportEntry entry{issued.key.get(), &issued.certificate,
                               a.get("name", a.get("email"))};
  cms::Pkcs12ExportOptions opts;
  if (d.intermediate()) opts.chain.push_back(d.intermediate()->certificate);
  opts.chain.push_back(d.root().certificate);
  Botan::AutoSeeded_RNG rng;
  auto p12 = cms::export_pkcs12({&entry, 1}, password, rng, opts);
  if (!p12) return failed(core::Error::make("pki_crypto", "PKCS#12: " + p12.error().message));
  auto w = pki::write_file(a.get("out-p12"), std::string(p12->begin(), p12->end()), true);
  if (!w) return failed(w.error());
  std::cout << "p12=" << a.get("out-p12") << "\n";
  return 0;
}

int run_issue(const Args& a) {
  pki::IssueOptions o;
  o.emails = a.all("email");
  if (o.emails.empty()) return usage_error("issue needs --email ADDRESS");
  for (const auto& e : o.emails)
    if (e.find('@') == std::string::npos || e.find_first_of(" \t\r\n") != std::string::npos)
      return usage_error("bad --email \"" + e + "\"");
  o.name = a.get("name");
  if (a.has("usage")) {
    auto u = pki::parse_usage(a.get("usage"));
    if (!u) return usage_error("--usage must be sign, encrypt or both");
    o.usage = *u;
  }
  if (a.has("eku")) {
    auto e = pki::parse_eku(a.get("eku"));
    if (!e) return usage_error("--eku must be email, none or serverAuth");
    o.eku = *e;
  }
  if (auto rc = read_key(a, o.key)) return *rc;
  if (auto rc = read_validity(a, o.validity)) return *rc;
  o.crl_urls = a.all("crl-url");
  o.aia_url = a.get("aia-url");
  o.ocsp_url = a.get("ocsp-url");
  o.subject_email = a.has("subject-email");
  o.no_san = a.has("no-san");
  o.from_root = a.has("from-root");
  if (a.has("password-file") && !a.has("out-p12"))
    return usage_error("--password-file needs --out-p12");
  auto d = pki::Directory::open(a.get("dir"));
  if (!d) return failed(d.error());
  auto issued = d->issue(o);
  if (!issued) return failed(issued.error());
  std::cout << "serial=" << issued->serial << "\ncert=" << issued->cert_path.string()
            << "\nkey=" << issued->key_path.string() << "\n";
  if (a.has("out-cert")) {
    if (auto w = pki::write_file(a.get("out-cert"), issued->certificate.PEM_encode()); !w)
      return failed(w.error());
  }
  if (a.has("out-key")) {
    auto text = pki::read_text(issued->key_path);
    if (!text) return failed(text.error());
    if (auto w = pki::write_file(a.get("out-key"), *text, true); !w) return failed(w.error());
  }
  if (a.has("out-p12")) return write_p12(a, *d, *issued);
  return 0;
}

int run_revoke(const Args& a) {
  if (a.has("serial") == a.has("cert"))
    return usage_error("revoke needs --serial HEX or --cert FILE");
  auto d = pki::Directory::open(a.get("dir"));
  if (!d) return failed(d.error());
  std::string reason = a.get("reason", "unspecified");
  core::Result<std::string> r = core::Error{};
  if (a.has("serial")) {
    r = d->revoke(a.get("serial"), reason);
  } else {
    std::optional<Botan::X509_Certificate> cert;
    try {
      cert.emplace(a.get("cert"));
    } catch (const std::exception& e) {
      return failed(
          core::Error::make("pki_io", a.get("cert") + ": not a certificate (" + e.what() + ")"));
    }
    r = d->revoke(*cert, reason);
  }
  if (!r) return failed(r.error());
  std::cout << "revoked=" << *r << "\n";
  return 0;
}

int run_crl(const Args& a) {
  if (!a.has("out")) return usage_error("crl needs --out FILE");
  int days = 7;
  if (a.has("next-update-days")) {
    auto n = parse_int(a.get("next-update-days"), 0, 36500);
    if (!n) return usage_error("--next-update-days wants a number from 0 to 36500");
    days = *n;
  }
  std::string which = a.get("ca", "issuing");
  if (which != "issuing" && which != "root") return usage_error("--ca must be issuing or root");
  auto d = pki::Directory::open(a.get("dir"));
  if (!d) return failed(d.error());
  std::optional<std::chrono::system_clock::time_point> this_update;
  if (a.has("this-update")) {
    auto t = pki::parse_time(a.get("this-update"));
    if (!t) return failed(t.error());
    this_update = *t;
  }
  auto der = d->crl(which == "root" ? &d->root() : nullptr, days, this_update);
  if (!der) return failed(der.error());
  if (auto w = pki::write_file(a.get("out"), std::string(der->begin(), der->end())); !w)
    return failed(w.error());
  std::cout << "crl=" << a.get("out") << "\n";
  return 0;
}

struct Sub {
  const char* name;
  std::vector<OptionSpec> options;
  int (*run)(const Args&);
};

const std::vector<Sub>& subcommands() {
  static const std::vector<Sub> table = {
      {"init",
       {{"dir"},
        {"name"},
        {"key"},
        {"intermediate", 0, false},
        {"crl-url"},
        {"aia-url"},
        {"days"},
        {"not-before"}},
       run_init},
      {"issue",
       {{"dir"},
        {"email", 0, true, true},
        {"name"},
        {"usage"},
        {"key"},
        {"eku"},
        {"crl-url", 0, true, true},
        {"aia-url"},
        {"ocsp-url"},
        {"days"},
        {"not-before"},
        {"subject-email", 0, false},
        {"no-san", 0, false},
        {"from-root", 0, false},
        {"out-cert"},
        {"out-key"},
        {"out-p12"},
        {"password-file"}},
       run_issue},
      {"revoke", {{"dir"}, {"serial"}, {"cert"}, {"reason"}}, run_revoke},
      {"crl", {{"dir"}, {"out"}, {"next-update-days"}, {"ca"}, {"this-update"}}, run_crl},
  };
  return table;
}

}  // namespace

int cmd_pki(int argc, char** argv) {
  if (argc < 2) return usage_error("usage: smimegw pki init|issue|revoke|crl --dir DIR [options]");
  std::string name = argv[1];
  for (const auto& s : subcommands()) {
    if (name != s.name) continue;
    std::string err;
    auto args = parse_args(argc, argv, 2, s.options, err);
    if (!args) return usage_error(name + ": " + err);
    if (!args->positional.empty())
      return usage_error(name + ": unexpected argument " + args->positional.front());
    if (args->get("dir").empty()) return usage_error(name + ": --dir DIR is required");
    // One pki command at a time per directory (the serial counter and revoked list are
    // read-modify-write files): an exclusive flock on DIR/.lock, released at exit.
    std::error_code ec;
    if (name == "init") fs::create_directories(args->get("dir"), ec);
    int lock =
        ::open((fs::path(args->get("dir")) / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock >= 0) ::flock(lock, LOCK_EX);
    try {
      return s.run(*args);
    } catch (const std::exception& e) {
      report(std::string("pki: ") + e.what());
      return 1;
    }
  }
  return usage_error("unknown pki command \"" + name + "\" (init, issue, revoke, crl)");
}

}  // namespace smimegw::app
