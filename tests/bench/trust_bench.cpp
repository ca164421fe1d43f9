// Benchmark of trust::Validator (standalone main; built and run by tests/bench/trust.sh).
//   1. validations/s of a 3-certificate RSA-2048 chain with preloaded CRLs through the result cache
//   2. the same with the result cache off (full path check + revocation every time)
//   3. load (decode + index) and lookup time of a 100,000-entry CRL
//   4. OCSP: verification of one answer made by `openssl ocsp -respout` (parse, issuer signature,
//      CertID, freshness) and answers served from the OcspClient cache
// Link: smimegw_trust smimegw_cms smimegw_net smimegw_obs smimegw_core, Botan 2, spdlog, fmt,
// pthread; sources tests/unit/trust/test_pki.cpp for the test PKI.
#include <botan/bigint.h>
#include <botan/hex.h>
#include <botan/pkcs8.h>
#include <botan/x509path.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "../unit/trust/test_pki.hpp"
#include "smimegw/trust/ocsp.hpp"
#include "smimegw/trust/validator.hpp"

using namespace smimegw;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const test::time_point kAt = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

template <class F>
double rate(std::size_t n, F&& f) {
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < n; ++i) f(i);
  return static_cast<double>(n) / seconds(Clock::now() - t0);
}

// An OCSP answer about `leaf` signed by `ca` (openssl, nextUpdate in 60 min); empty on failure.
std::string openssl_ocsp_answer(const test::Issued& leaf, const test::Issued& ca) {
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / "smimegw-trust-bench-ocsp";
  fs::create_directories(dir);
  auto put = [&](const char* name, const std::string& data) {
    std::ofstream(dir / name, std::ios::binary) << data;
  };
  put("ca.pem", ca.cert.PEM_encode());
  put("ca.key", Botan::PKCS8::PEM_encode(*ca.key));
  put("index.txt", "V\t351231235959Z\t\t" + Botan::hex_encode(leaf.cert.serial_number()) +
                       "\tunknown\t/CN=bench\n");
  put("req.der", test::as_string(trust::make_ocsp_request(leaf.cert, ca.cert)));
  std::string cmd = "cd " + dir.string() +
                    " && openssl ocsp -reqin req.der -index index.txt -rsigner ca.pem -rkey ca.key"
                    " -CA ca.pem -nmin 60 -respout resp.der >/dev/null 2>&1";
  std::string out;
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream f(dir / "resp.der", std::ios::binary);
    out.assign(std::istreambuf_iterator<char>(f), {});
  }
  fs::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = argc > 1 ? std::stoul(argv[1]) : 20000;
  test::CertSpec r{.cn = "Bench Root", .ca = true, .rsa = true};
  r.not_before = kAt - 1000 * 24h;
  r.not_after = kAt + 1000 * 24h;
  auto root = test::issue(r, nullptr);
  test::CertSpec i{.cn = "Bench Intermediate", .ca = true, .rsa = true};
  i.not_before = r.not_before;
  i.not_after = r.not_after;
  i.crl_urls = {"http://127.0.0.1:9/root.crl"};
  auto inter = test::issue(i, &root);
  test::CertSpec l{.cn = "bench", .email = "bench@example.com", .rsa = true};
  l.not_before = kAt - 24h;
  l.not_after = kAt + 365 * 24h;
  l.crl_urls = {"http://127.0.0.1:9/int.crl"};
  auto leaf = test::issue(l, &inter);

  trust::ValidationRequest req;
  req.certificate = leaf.cert;
  req.extra_certificates = {inter.cert};
  req.at = kAt;
  req.operation = trust::Operation::verify_signature;
  req.address = "bench@example.com";

  auto make = [&](std::size_t cache) {
    trust::ValidatorOptions o;
    o.cache_capacity = cache;
    o.fetch_crls = false;  // CRLs preloaded: the "cached CRL" case
    o.fetch_aia = false;
    auto v = std::make_unique<trust::Validator>(std::vector{root.cert}, nullptr, o);
    (void)v->crls().add(test::make_crl(root, {}, kAt - 24h, kAt + 7 * 24h), "root");
    (void)v->crls().add(test::make_crl_serials(inter, 1000, 900000, kAt - 24h, kAt + 7 * 24h),
                        "int");
    return v;
  };

  auto cached = make(10000);
  auto first = cached->validate(req);
  if (!first.valid) {
    std::fprintf(stderr, "bench chain does not validate: %s\n",
                 first.errors.empty() ? "?" : first.errors.front().code.c_str());
    return 1;
  }
  double cached_rate = rate(n * 5, [&](std::size_t) { (void)cached->validate(req); });

  auto uncached = make(0);
  double uncached_rate = rate(n / 4, [&](std::size_t) { (void)uncached->validate(req); });

  auto no_rev = req;
  no_rev.revocation = trust::RevocationMode::off;
  no_rev.operation = trust::Operation::any;
  double norev_rate = rate(n / 4, [&](std::size_t) { (void)uncached->validate(no_rev); });
  std::vector<std::shared_ptr<const Botan::X509_Certificate>> chain = {
      std::make_shared<const Botan::X509_Certificate>(leaf.cert),
      std::make_shared<const Botan::X509_Certificate>(inter.cert),
      std::make_shared<const Botan::X509_Certificate>(root.cert)};
  double pkix_rate = rate(n / 4, [&](std::size_t) {
    (void)Botan::PKIX::check_chain(chain, kAt, "", Botan::Usage_Type::UNSPECIFIED, 110, {});
  });

  auto big = test::make_crl_serials(inter, 100000, 5000000, kAt - 24h, kAt + 7 * 24h);
  auto t0 = Clock::now();
  auto crl = trust::IndexedCrl::parse(big, "big");
  double load_ms = seconds(Clock::now() - t0) * 1e3;
  if (!crl) return 1;
  std::vector<std::vector<std::uint8_t>> serials;
  for (std::uint64_t k = 0; k < 1000; ++k)
    serials.push_back(Botan::BigInt::encode(Botan::BigInt(5000000 + k * 199)));
  std::size_t hits = 0;
  const std::size_t lookups = 1000000;
  double lookup_rate =
      rate(lookups, [&](std::size_t k) { hits += (*crl)->is_listed(serials[k % 1000]); });

  const auto now = std::chrono::system_clock::now();
  auto answer = openssl_ocsp_answer(leaf, inter);
  double ocsp_verify_rate = 0, ocsp_cached_rate = 0;
  if (!answer.empty()) {
    std::span<const std::uint8_t> der(reinterpret_cast<const std::uint8_t*>(answer.data()),
                                      answer.size());
    trust::OcspOptions oo;
    if (!trust::verify_ocsp_response(der, leaf.cert, inter.cert, now, oo)) return 1;
    ocsp_verify_rate = rate(n / 4, [&](std::size_t) {
      (void)trust::verify_ocsp_response(der, leaf.cert, inter.cert, now, oo);
    });
    trust::OcspClient client(oo, [&](const std::string&, const std::string&, const std::string&,
                                     const net::FetchOptions&) {
      return core::Result<net::FetchResult>(net::FetchResult{200, "", answer});
    });
    if (!client.check("http://ocsp.test/", leaf.cert, inter.cert, now)) return 1;
    ocsp_cached_rate = rate(n * 5, [&](std::size_t) {
      (void)client.check("http://ocsp.test/", leaf.cert, inter.cert, now);
    });
  }

  std::printf("| trust benchmark (one core)                               | result |\n");
  std::printf("|---|---|\n");
  std::printf("| 3-cert RSA-2048 chain, cached CRLs, result cache         | %.0f validations/s |\n",
              cached_rate);
  std::printf("| 3-cert RSA-2048 chain, cached CRLs, no result cache      | %.0f validations/s |\n",
              uncached_rate);
  std::printf("|   same, revocation off and no usage rules (path only)   | %.0f validations/s |\n",
              norev_rate);
  std::printf("|   Botan PKIX::check_chain alone on that path             | %.0f checks/s |\n",
              pkix_rate);
  std::printf("| 100,000-entry CRL: decode + index once                   | %.1f ms |\n", load_ms);
  std::printf(
      "| 100,000-entry CRL: serial lookup                         | %.0f ns/lookup (%zu hits) |\n",
      1e9 / lookup_rate, hits);
  std::printf("| OCSP answer (RSA-2048 issuer): parse + verify            | %.0f answers/s |\n",
              ocsp_verify_rate);
  std::printf("| OCSP answer from the OcspClient cache                    | %.0f lookups/s |\n",
              ocsp_cached_rate);
  return 0;
}
