// Directory benchmark (issue 6): recipient resolution of 500 GAL recipients (target < 50 ms) and
// expansion of a 5,000-member nested group (target < 500 ms), through the real PostgreSQL stores
// (PgCertificateStore, PgGroupStore), the trust validator (chain + CRL + S/MIME rules) and the
// resolver. Run through tests/bench/directory.sh; argv[1] is the database connection string
// (an empty, scratch database), argv[2] the number of timed rounds.
#include <botan/auto_rng.h>
#include <botan/pkcs10.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <algorithm>
#include <cstdio>

#include "smimegw/core/run_sync.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/directory/resolver.hpp"

using namespace smimegw;
using Ms = std::chrono::duration<double, std::milli>;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "directory_bench: %s\n", what.c_str());
  std::exit(1);
}

template <class T>
T must(core::Result<T> r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().code + ": " + r.error().message);
  return std::move(*r);
}

void must(core::Status r, const char* what) {
  if (!r) die(std::string(what) + ": " + r.error().code + ": " + r.error().message);
}

struct Stats {
  double median, p90, min;
};

Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 9 / 10)], v.front()};
}

void row(const char* what, const Stats& s, const char* target) {
  std::printf("| %-46s | %8.2f | %8.2f | %8.2f | %-8s |\n", what, s.median, s.p90, s.min, target);
}

int main(int argc, char** argv) {
  if (argc < 2) die("usage: directory_bench CONNINFO [ROUNDS]");
  int rounds = argc > 2 ? std::atoi(argv[2]) : 20;
  constexpr int kRecipients = 500, kMembers = 5000, kSubgroups = 10;
  Botan::AutoSeeded_RNG rng;

  // A CA, its CRL, and 500 user certificates (one RSA key, distinct serials and addresses).
  Botan::RSA_PrivateKey ca_key(rng, 2048), user_key(rng, 2048);
  Botan::X509_Cert_Options ca_opt("Bench Root/DE/Bench");
  ca_opt.CA_key();
  auto ca_cert = Botan::X509::create_self_signed_cert(ca_opt, ca_key, "SHA-256", rng);
  Botan::X509_CA ca(ca_cert, ca_key, "SHA-256", rng);
  auto crl = ca.new_crl(rng, 30 * 86400);
  auto now = std::chrono::system_clock::now();
  std::vector<Botan::X509_Certificate> certs;
  for (int i = 0; i < kRecipients; ++i) {
    Botan::X509_Cert_Options o("user" + std::to_string(i) + "/DE/Bench");
    o.email = "user" + std::to_string(i) + "@bench.test";
    o.constraints = Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT);
    o.add_ex_constraint("PKIX.EmailProtection");
    auto req = Botan::X509::create_cert_req(o, user_key, "SHA-256", rng);
    certs.push_back(ca.sign_request(req, rng, Botan::X509_Time(now - std::chrono::hours(1)),
                                    Botan::X509_Time(now + std::chrono::hours(24 * 365))));
  }

  auto conn = must(db::connect({.url = argv[1]}), "connect");
  must(db::migrate(*conn), "migrate");
  db::Pool pool({.url = argv[1]}, 4);
  db::PgCertificateStore store(pool);
  db::PgGroupStore groups(pool);
  // users 0..4999 (the first 500 with a GAL certificate), 10 subgroups of 500 under all@bench.test
  must(pool.transact_blocking([&](pqxx::work& tx) {
    tx.exec0(
        "INSERT INTO users (address) SELECT 'user' || i || '@bench.test' FROM "
        "generate_series(0, " +
        std::to_string(kMembers - 1) + ") i");
    tx.exec0(
        "INSERT INTO groups (address) SELECT 'sub' || i || '@bench.test' FROM "
        "generate_series(0, " +
        std::to_string(kSubgroups - 1) + ") i");
    tx.exec0("INSERT INTO groups (address) VALUES ('all@bench.test')");
    tx.exec0(
        "INSERT INTO group_members (group_id, member_group_id) SELECT (SELECT id FROM groups "
        "WHERE address = 'all@bench.test'), id FROM groups WHERE address LIKE 'sub%'");
    tx.exec0(
        "INSERT INTO group_members (group_id, member_user_id) SELECT g.id, u.id FROM users "
        "u JOIN groups g ON g.address = 'sub' || (u.id % 10) || '@bench.test'");
  }),
       "load users and groups");
  std::vector<directory::NewUserCertificate> rows;
  auto ids = must(pool.transact_blocking([&](pqxx::work& tx) {
    std::vector<std::int64_t> out;
    for (const auto& r :
         tx.exec("SELECT id FROM users ORDER BY id LIMIT " + std::to_string(kRecipients)))
      out.push_back(r[0].as<std::int64_t>());
    return out;
  }),
                  "user ids");
  for (int i = 0; i < kRecipients; ++i) {
    directory::NewUserCertificate c;
    c.user_id = ids[i];
    c.der = certs[i].BER_encode();
    auto fp = certs[i].fingerprint("SHA-1");
    fp.erase(std::remove(fp.begin(), fp.end(), ':'), fp.end());
    c.thumbprint = fp;
    c.not_before = now - std::chrono::hours(1);
    c.not_after = now + std::chrono::hours(24 * 365);
    c.source = "import";
    rows.push_back(std::move(c));
  }
  must(core::run_sync(store.add_user_certificates(rows, {})), "store certificates");

  std::vector<std::string> recipients;
  for (int i = 0; i < kRecipients; ++i)
    recipients.push_back("user" + std::to_string(i) + "@bench.test");

  trust::ValidatorOptions vopt;
  vopt.fetch_crls = vopt.fetch_aia = false;
  core::SystemClock clock;
  std::printf("| %-46s | %8s | %8s | %8s | %-8s |\n", "operation (ms)", "median", "p90", "min",
              "target");
  std::printf("|%s|----------|----------|----------|----------|\n", std::string(48, '-').c_str());

  auto time_resolve = [&](bool cold) {
    std::vector<double> v;
    for (int r = 0; r < rounds; ++r) {
      trust::Validator validator({ca_cert}, nullptr, vopt);
      if (!validator.crls().add(crl.BER_encode(), "bench")) die("crl");
      directory::Resolver resolver(store, &groups, nullptr, validator, clock);
      if (!cold) must(core::run_sync(resolver.resolve("", recipients)), "warm-up");
      auto t0 = std::chrono::steady_clock::now();
      auto out = must(core::run_sync(resolver.resolve("", recipients)), "resolve");
      v.push_back(Ms(std::chrono::steady_clock::now() - t0).count());
      for (const auto& x : out)
        if (!x.resolved()) die("unresolved " + x.address + ": " + x.reason + " " + x.detail);
      if (out.size() != recipients.size()) die("wrong result count");
    }
    return stats(v);
  };
  row("resolve 500 GAL recipients (validation cached)", time_resolve(false), "< 50");
  row("resolve 500 GAL recipients (cold validator)", time_resolve(true), "");

  std::vector<double> batch;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto rows_out = must(core::run_sync(store.gal_certificates_batch(recipients)), "batch");
    batch.push_back(Ms(std::chrono::steady_clock::now() - t0).count());
    if (rows_out.size() != recipients.size()) die("batch size");
  }
  row("  of which: GAL batch query (500 addresses)", stats(batch), "");

  directory::GroupExpander expander(groups, {});
  std::vector<double> exp;
  for (int r = 0; r < rounds; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto e = must(core::run_sync(expander.expand("all@bench.test")), "expand");
    exp.push_back(Ms(std::chrono::steady_clock::now() - t0).count());
    if (e.members.size() != kMembers || !e.complete()) die("expansion incomplete");
  }
  row("expand 5,000-member nested group", stats(exp), "< 500");
  return 0;
}
