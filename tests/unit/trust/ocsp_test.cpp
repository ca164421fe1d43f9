// trust::OcspClient and verify_ocsp_response on answers made by `openssl ocsp -reqin … -respout`
// (the independent peer) for a test PKI made with Botan: caching until nextUpdate, freshness,
// CertID match, garbage; and trust::CrlRefresher's schedule (jitter, min interval, backoff).
#include "smimegw/trust/ocsp.hpp"

#include <botan/hex.h>
#include <botan/pkcs8.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "smimegw/trust/crl_refresher.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"

using namespace smimegw;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

const auto kNow = std::chrono::system_clock::now();

void write(const fs::path& p, const std::string& data) {
  std::ofstream(p, std::ios::binary) << data;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

/// A root, two leaves and an openssl-made OCSP answer about `alice` (good, nextUpdate in 10 min).
struct OcspPki {
  fs::path dir = fs::temp_directory_path() / ("smimegw-ocsp-" + std::to_string(::getpid()));
  test::Issued root, alice, bob;
  std::string response;

  OcspPki() {
    fs::create_directories(dir);
    test::CertSpec r{.cn = "OCSP Unit Root", .ca = true};
    r.not_before = kNow - 24h;
    r.not_after = kNow + 3650 * 24h;
    root = test::issue(r, nullptr);
    for (auto* who : {&alice, &bob}) {
      test::CertSpec s{.cn = who == &alice ? "alice" : "bob"};
      s.email = s.cn + "@example.com";
      s.not_before = kNow - 24h;
      s.not_after = kNow + 365 * 24h;
      *who = test::issue(s, &root);
    }
    write(dir / "root.pem", root.cert.PEM_encode());
    write(dir / "root.key", Botan::PKCS8::PEM_encode(*root.key));
    write(dir / "index.txt", "V\t351231235959Z\t\t" +
                                 Botan::hex_encode(alice.cert.serial_number()) +
                                 "\tunknown\t/CN=alice\n");
    response = answer(alice);
  }
  ~OcspPki() { fs::remove_all(dir); }

  std::string answer(const test::Issued& who) {
    auto req = trust::make_ocsp_request(who.cert, root.cert);
    write(dir / "req.der", test::as_string(req));
    std::string cmd = "cd " + dir.string() +
                      " && openssl ocsp -reqin req.der -index index.txt -rsigner root.pem -rkey "
                      "root.key -CA root.pem -nmin 10 -respout resp.der >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return slurp(dir / "resp.der");
  }
};

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("an OCSP answer is verified, cached until nextUpdate and fetched again after it") {
  OcspPki p;
  test::TestHttpServer server;
  server.serve("/ocsp", p.response);
  trust::OcspClient client;
  auto url = server.url("/ocsp");
  auto a = client.check(url, p.alice.cert, p.root.cert, kNow);
  REQUIRE(a);
  CHECK(a->status == trust::OcspAnswer::Status::good);
  CHECK(a->signer == "issuer");
  REQUIRE(a->next_update);
  CHECK(*a->next_update > kNow + 9min);
  CHECK_FALSE(a->from_cache);
  auto again = client.check(url, p.alice.cert, p.root.cert, kNow + 5min);
  REQUIRE(again);
  CHECK(again->from_cache);
  CHECK(server.requests("/ocsp") == 1);
  CHECK(client.request_count() == 1);
  // past nextUpdate the cached answer is not used; the same (now stale) answer is refused
  auto late = client.check(url, p.alice.cert, p.root.cert, kNow + 20min);
  REQUIRE_FALSE(late);
  CHECK(late.error().code == "ocsp_expired");
  CHECK(server.requests("/ocsp") == 2);
  // offline: no cached answer for bob
  auto off = client.check(url, p.bob.cert, p.root.cert, kNow, false);
  REQUIRE_FALSE(off);
  CHECK(off.error().code == "ocsp_unavailable");
}

TEST_CASE("OCSP answers for another certificate, too early, or garbage are refused with codes") {
  OcspPki p;
  trust::OcspOptions o;
  auto other = trust::verify_ocsp_response(bytes(p.response), p.bob.cert, p.root.cert, kNow, o);
  REQUIRE_FALSE(other);
  CHECK(other.error().code == "ocsp_cert_not_listed");
  auto early =
      trust::verify_ocsp_response(bytes(p.response), p.alice.cert, p.root.cert, kNow - 1h, o);
  REQUIRE_FALSE(early);
  CHECK(early.error().code == "ocsp_not_yet_valid");
  // the answer about bob (not in the index) says unknown
  auto unknown =
      trust::verify_ocsp_response(bytes(p.answer(p.bob)), p.bob.cert, p.root.cert, kNow, o);
  REQUIRE(unknown);
  CHECK(unknown->status == trust::OcspAnswer::Status::unknown);
  // signed by the root, checked against another issuer: not authorised
  auto wrong = trust::verify_ocsp_response(bytes(p.response), p.alice.cert, p.alice.cert, kNow, o);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == "ocsp_unauthorized_responder");
  for (std::string junk : {std::string(), std::string("\x30\x03\x0a\x01\x03", 5),
                           std::string(300, '\x30'), p.response.substr(0, p.response.size() / 2)}) {
    auto r = trust::verify_ocsp_response(bytes(junk), p.alice.cert, p.root.cert, kNow, o);
    REQUIRE_FALSE(r);
    CHECK((r.error().code == "ocsp_malformed" || r.error().code == "ocsp_error_status"));
  }
  auto try_later = trust::verify_ocsp_response(bytes(std::string("\x30\x03\x0a\x01\x03", 5)),
                                               p.alice.cert, p.root.cert, kNow, o);
  CHECK(try_later.error().code == "ocsp_error_status");
}

TEST_CASE("the CRL refresher fetches before nextUpdate with jitter, then backs off on failure") {
  test::TestHttpServer server;
  test::CertSpec r{.cn = "Refresh Root", .ca = true};
  r.not_before = kNow - 24h;
  r.not_after = kNow + 3650 * 24h;
  auto root = test::issue(r, nullptr);
  server.serve("/r.crl", test::as_string(test::make_crl(root, {}, kNow - 1h, kNow + 2h)));
  net::FetchOptions fo;
  fo.connect_timeout = fo.total_timeout = 500ms;
  trust::CrlCache crls(nullptr, trust::default_fetcher(), fo);
  REQUIRE(crls.get(server.url("/r.crl"), kNow));
  trust::RefreshPolicy policy{
      .margin = 1h, .jitter = 0.1, .min_interval = 60s, .max_backoff = 300s};
  trust::CrlRefresher refresher(crls, policy, 42);
  CHECK(refresher.run(kNow).empty());  // due 54–60 min before nextUpdate, i.e. in ≥ 54 min
  CHECK(refresher.run(kNow + 53min).empty());
  auto out = refresher.run(kNow + 61min);
  REQUIRE(out.size() == 1);
  CHECK(out[0].ok);
  CHECK(server.requests("/r.crl") == 2);
  CHECK(refresher.run(kNow + 61min + 30s).empty());  // min interval, although still due
  server.set_mode(test::TestHttpServer::Mode::down);
  auto failed = refresher.run(kNow + 63min);
  REQUIRE(failed.size() == 1);
  CHECK_FALSE(failed[0].ok);
  CHECK(failed[0].failures == 1);
  CHECK(failed[0].next_attempt == kNow + 64min);
  CHECK(refresher.run(kNow + 63min + 30s).empty());
  auto second = refresher.run(kNow + 64min);
  REQUIRE(second.size() == 1);
  CHECK(second[0].next_attempt == kNow + 66min);  // doubled
  server.set_mode(test::TestHttpServer::Mode::normal);
  auto healed = refresher.run(kNow + 66min);
  REQUIRE(healed.size() == 1);
  CHECK(healed[0].ok);
}
