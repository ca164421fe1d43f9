// trust::Validator against a test PKI made at test time and served by an in-process HTTP server
// (AIA caIssuers + CRL distribution points on its port): fail-closed revocation, timeouts,
// caching, chain building sources, and each S/MIME usage code.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "smimegw/trust/validator.hpp"
#include "test_http_server.hpp"
#include "test_pki.hpp"

using namespace smimegw;
using namespace std::chrono_literals;
using Mode = test::TestHttpServer::Mode;

namespace {

const test::time_point kAt = std::chrono::sys_days{std::chrono::year{2030} / 6 / 1};

struct Pki {
  test::TestHttpServer server;
  test::Issued root, inter, alice;

  Pki() {
    test::CertSpec r{.cn = "Test Root", .ca = true};
    r.not_before = kAt - 3650 * 24h;
    r.not_after = kAt + 3650 * 24h;
    root = test::issue(r, nullptr);

    test::CertSpec i{.cn = "Test Intermediate", .ca = true};
    i.not_before = kAt - 365 * 24h;
    i.not_after = kAt + 1000 * 24h;
    i.crl_urls = {server.url("/root.crl")};
    inter = test::issue(i, &root);

    alice = leaf("alice@example.com");
    publish();
  }

  test::Issued leaf(const std::string& email, test::CertSpec s = {}) {
    if (s.cn.empty()) s.cn = email;
    s.email = email;
    if (s.not_before == test::time_point{}) s.not_before = kAt - 30 * 24h;
    if (s.not_after == test::time_point{}) s.not_after = kAt + 365 * 24h;
    if (s.crl_urls.empty()) s.crl_urls = {server.url("/int.crl")};
    if (s.aia_urls.empty()) s.aia_urls = {server.url("/int.crt")};
    return test::issue(s, &inter);
  }

  void publish(const std::vector<Botan::X509_Certificate>& revoked = {}) {
    server.serve("/root.crl", test::as_string(test::make_crl(root, {}, kAt - 24h, kAt + 7 * 24h)));
    server.serve("/int.crl",
                 test::as_string(test::make_crl(inter, revoked, kAt - 24h, kAt + 7 * 24h)));
    server.serve("/int.crt", test::as_string(test::der(inter.cert)));
  }

  trust::ValidatorOptions options() const {
    trust::ValidatorOptions o;
    o.fetch.connect_timeout = 500ms;
    o.fetch.total_timeout = 500ms;
    o.cache_capacity = 0;  // these tests watch the CRL/AIA layers, not the result cache
    return o;
  }

  trust::ValidationRequest request(const test::Issued& who, trust::Operation op,
                                   std::optional<std::string> address = std::nullopt) const {
    trust::ValidationRequest r;
    r.certificate = who.cert;
    r.at = kAt;
    r.operation = op;
    r.address = std::move(address);
    return r;
  }
};

}  // namespace

TEST_CASE("an intermediate reachable only via AIA is fetched once and the chain is valid") {
  Pki p;
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto r = v.validate(p.request(p.alice, trust::Operation::verify_signature, "alice@example.com"));
  INFO((r.errors.empty() ? std::string() : r.errors.front().code + " " + r.errors.front().message));
  CHECK(r.valid);
  CHECK(r.chain.size() == 3);
  CHECK(p.server.requests("/int.crt") == 1);
  CHECK(p.server.requests("/int.crl") == 1);
  CHECK(p.server.requests("/root.crl") == 1);
  REQUIRE(r.revocation_sources.size() == 2);
  CHECK(r.revocation_sources[0].find("/int.crl") != std::string::npos);

  SECTION("a second validation makes no request (CRL and fetched-certificate caches)") {
    auto before = p.server.requests();
    auto again = v.validate(p.request(p.alice, trust::Operation::verify_signature));
    CHECK(again.valid);
    CHECK_FALSE(again.from_cache);
    CHECK(p.server.requests() == before);
  }
  SECTION("cached CRLs keep serving when the server goes down") {
    p.server.set_mode(Mode::down);
    CHECK(v.validate(p.request(p.alice, trust::Operation::verify_signature)).valid);
  }
}

TEST_CASE("an intermediate carried only in the message builds the chain without AIA") {
  Pki p;
  p.server.remove("/int.crt");
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto req = p.request(p.alice, trust::Operation::verify_signature);
  req.extra_certificates = {p.inter.cert};
  auto r = v.validate(req);
  CHECK(r.valid);
  CHECK(p.server.requests("/int.crt") == 0);
  CHECK(v.aia_fetch_count() == 0);

  SECTION("without it and without AIA the chain is incomplete") {
    auto bare = v.validate(p.request(p.alice, trust::Operation::verify_signature));
    CHECK_FALSE(bare.valid);
    CHECK(bare.has_error("chain_incomplete"));
  }
}

TEST_CASE("a revoked leaf is revoked and the deciding CRL is named") {
  Pki p;
  p.publish({p.alice.cert});
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto r = v.validate(p.request(p.alice, trust::Operation::encrypt_to));
  CHECK_FALSE(r.valid);
  CHECK(r.has_error("revoked"));
  REQUIRE_FALSE(r.revocation_sources.empty());
  CHECK(r.revocation_sources[0].find("revoked") != std::string::npos);

  SECTION("revoked stays revoked in mode prefer") {
    auto req = p.request(p.alice, trust::Operation::encrypt_to);
    req.revocation = trust::RevocationMode::prefer;
    CHECK(v.validate(req).has_error("revoked"));
  }
}

TEST_CASE("an unreachable CRL fails closed in mode require and warns in mode prefer") {
  Pki p;
  p.server.set_mode(Mode::down);
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto req = p.request(p.alice, trust::Operation::verify_signature);
  req.extra_certificates = {p.inter.cert};
  auto r = v.validate(req);
  CHECK_FALSE(r.valid);
  CHECK(r.has_error("revocation_unknown"));
  CHECK(r.has_error("crl_unavailable"));

  req.revocation = trust::RevocationMode::prefer;
  auto pr = v.validate(req);
  CHECK(pr.valid);
  CHECK(pr.has_warning("revocation_unknown"));

  req.revocation = trust::RevocationMode::off;
  CHECK(v.validate(req).valid);
}

TEST_CASE("a slow CRL server hits the total timeout and fails closed") {
  Pki p;
  p.server.slow_delay = 3000ms;
  p.server.set_mode(Mode::slow);
  auto opt = p.options();
  opt.fetch.total_timeout = 300ms;
  trust::Validator v({p.root.cert}, nullptr, opt);
  auto req = p.request(p.alice, trust::Operation::verify_signature);
  req.extra_certificates = {p.inter.cert};
  auto t0 = std::chrono::steady_clock::now();
  auto r = v.validate(req);
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK_FALSE(r.valid);
  CHECK(r.has_error("revocation_unknown"));
  bool timeout_named = false;
  for (const auto& f : r.errors)
    timeout_named |= f.message.find("fetch_timeout") != std::string::npos;
  CHECK(timeout_named);
  CHECK(took < 2500ms);  // two CRLs × 300 ms, far below the server's 3 s
}

TEST_CASE("garbage and oversized CRL answers give codes, not crashes") {
  Pki p;
  auto req = p.request(p.alice, trust::Operation::verify_signature);
  req.extra_certificates = {p.inter.cert};
  SECTION("garbage") {
    p.server.set_mode(Mode::garbage);
    trust::Validator v({p.root.cert}, nullptr, p.options());
    auto r = v.validate(req);
    CHECK(r.has_error("revocation_unknown"));
    bool named = false;
    for (const auto& f : r.errors) named |= f.message.find("malformed_crl") != std::string::npos;
    CHECK(named);
  }
  SECTION("oversized") {
    p.server.set_mode(Mode::oversized);
    auto opt = p.options();
    opt.fetch.max_bytes = 1u << 20;
    trust::Validator v({p.root.cert}, nullptr, opt);
    auto r = v.validate(req);
    CHECK(r.has_error("revocation_unknown"));
    bool named = false;
    for (const auto& f : r.errors) named |= f.message.find("fetch_too_large") != std::string::npos;
    CHECK(named);
  }
  SECTION("garbage AIA answer: chain incomplete") {
    p.server.serve("/int.crt", "this is not a certificate");
    trust::Validator v({p.root.cert}, nullptr, p.options());
    auto r = v.validate(p.request(p.alice, trust::Operation::verify_signature));
    CHECK(r.has_error("chain_incomplete"));
    CHECK(r.has_warning("aia_unavailable"));
  }
}

TEST_CASE("validity: expired, not yet valid, expiring soon") {
  Pki p;
  trust::Validator v({p.root.cert}, nullptr, p.options());
  test::CertSpec old;
  old.not_before = kAt - 400 * 24h;
  old.not_after = kAt - 24h;
  auto expired = p.leaf("old@example.com", old);
  CHECK(v.validate(p.request(expired, trust::Operation::verify_signature)).has_error("expired"));

  test::CertSpec future;
  future.not_before = kAt + 24h;
  future.not_after = kAt + 400 * 24h;
  auto later = p.leaf("later@example.com", future);
  CHECK(
      v.validate(p.request(later, trust::Operation::verify_signature)).has_error("not_yet_valid"));

  test::CertSpec soon;
  soon.not_after = kAt + 10 * 24h;
  auto ending = p.leaf("soon@example.com", soon);
  auto r = v.validate(p.request(ending, trust::Operation::verify_signature));
  CHECK(r.valid);
  CHECK(r.has_warning("expiring_soon"));
}

TEST_CASE("S/MIME usage rules: key usage, EKU, address and proxy addresses") {
  Pki p;
  trust::Validator v({p.root.cert}, nullptr, p.options());

  SECTION("EC key without keyAgreement cannot be encrypted to, but can sign") {
    test::CertSpec s;
    s.key_usage = Botan::DIGITAL_SIGNATURE;
    auto signer = p.leaf("sig@example.com", s);
    CHECK(v.validate(p.request(signer, trust::Operation::encrypt_to)).has_error("wrong_key_usage"));
    CHECK(v.validate(p.request(signer, trust::Operation::sign_with)).valid);
    CHECK(v.validate(p.request(signer, trust::Operation::any)).valid);
  }
  SECTION("encryption-only key cannot sign") {
    test::CertSpec s;
    s.key_usage = Botan::KEY_AGREEMENT;
    auto enc = p.leaf("enc@example.com", s);
    CHECK(v.validate(p.request(enc, trust::Operation::verify_signature))
              .has_error("wrong_key_usage"));
    CHECK(v.validate(p.request(enc, trust::Operation::encrypt_to)).valid);
  }
  SECTION("RSA encryption needs keyEncipherment") {
    test::CertSpec s;
    s.rsa = true;
    s.key_usage = Botan::Key_Constraints(Botan::DIGITAL_SIGNATURE | Botan::KEY_AGREEMENT);
    auto rsa = p.leaf("rsa@example.com", s);
    CHECK(v.validate(p.request(rsa, trust::Operation::encrypt_to)).has_error("wrong_key_usage"));
    test::CertSpec ok;
    ok.rsa = true;
    auto good = p.leaf("rsa2@example.com", ok);
    CHECK(v.validate(p.request(good, trust::Operation::encrypt_to)).valid);
  }
  SECTION("EKU serverAuth only is wrong_eku; anyExtendedKeyUsage is fine") {
    test::CertSpec s;
    s.eku = {"1.3.6.1.5.5.7.3.1"};
    auto tls = p.leaf("tls@example.com", s);
    CHECK(v.validate(p.request(tls, trust::Operation::verify_signature)).has_error("wrong_eku"));
    CHECK(v.validate(p.request(tls, trust::Operation::any)).valid);
    test::CertSpec a;
    a.eku = {"2.5.29.37.0"};
    auto any = p.leaf("anyeku@example.com", a);
    CHECK(v.validate(p.request(any, trust::Operation::verify_signature)).valid);
  }
  SECTION("address mismatch, case-insensitive match, proxy address match") {
    CHECK(v.validate(p.request(p.alice, trust::Operation::encrypt_to, "bob@example.com"))
              .has_error("address_mismatch"));
    CHECK(v.validate(p.request(p.alice, trust::Operation::encrypt_to, "ALICE@Example.COM")).valid);
    auto req = p.request(p.alice, trust::Operation::encrypt_to, "a.smith@corp.example");
    req.proxy_addresses = {"alice@EXAMPLE.com"};
    CHECK(v.validate(req).valid);
  }
  SECTION("subject emailAddress is used when there is no rfc822Name") {
    test::CertSpec s;
    s.cn = "Carol";
    s.subject_email = "carol@example.com";
    s.crl_urls = {p.server.url("/int.crl")};
    s.aia_urls = {p.server.url("/int.crt")};
    s.not_before = kAt - 24h;
    s.not_after = kAt + 365 * 24h;
    auto carol = test::issue(s, &p.inter);
    CHECK(v.validate(p.request(carol, trust::Operation::encrypt_to, "carol@example.com")).valid);
  }
}

TEST_CASE("a chain to a root that is not an anchor is untrusted_root") {
  Pki p;
  test::CertSpec r{.cn = "Other Root", .ca = true};
  r.not_before = kAt - 3650 * 24h;
  r.not_after = kAt + 3650 * 24h;
  auto other = test::issue(r, nullptr);
  trust::Validator v({other.cert}, nullptr, p.options());
  auto req = p.request(p.alice, trust::Operation::verify_signature);
  req.extra_certificates = {p.inter.cert, p.root.cert};
  auto res = v.validate(req);
  CHECK_FALSE(res.valid);
  CHECK(res.has_error("untrusted_root"));
}

TEST_CASE("AIA loops and long AIA chains end with a code") {
  Pki p;
  // A certificate whose caIssuers URL serves a "CA" that names itself as issued by a CA whose
  // AIA points back at the same URL.
  test::CertSpec loop_ca{.cn = "Loop CA", .ca = true, .issuer_cn_override = "Loop CA 2"};
  loop_ca.not_before = kAt - 24h;
  loop_ca.not_after = kAt + 24h;
  loop_ca.aia_urls = {p.server.url("/loop.crt")};
  auto lc = test::issue(loop_ca, &p.inter);
  test::CertSpec loop_ca2{.cn = "Loop CA 2", .ca = true, .issuer_cn_override = "Loop CA"};
  loop_ca2.not_before = kAt - 24h;
  loop_ca2.not_after = kAt + 24h;
  loop_ca2.aia_urls = {p.server.url("/loop2.crt")};
  auto lc2 = test::issue(loop_ca2, &p.inter);
  p.server.serve("/loop.crt", test::as_string(test::der(lc2.cert)));
  p.server.serve("/loop2.crt", test::as_string(test::der(lc.cert)));
  test::CertSpec s{.cn = "victim", .issuer_cn_override = "Loop CA"};
  s.not_before = kAt - 24h;
  s.not_after = kAt + 24h;
  s.aia_urls = {p.server.url("/loop2.crt")};
  auto victim = test::issue(s, &lc);
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto r = v.validate(p.request(victim, trust::Operation::any));
  CHECK_FALSE(r.valid);
  CHECK(r.has_error("chain_incomplete"));
  CHECK(p.server.requests("/loop.crt") <= 1);
  CHECK(p.server.requests("/loop2.crt") <= 1);
}

namespace {

// A CrlStore in memory: what a second gateway instance or a restart finds in PostgreSQL.
class MemoryCrlStore final : public trust::CrlStore {
 public:
  core::Result<std::optional<trust::StoredCrl>> find_crl(const std::string& url) override {
    auto it = crls.find(url);
    if (it == crls.end()) return std::optional<trust::StoredCrl>{};
    return std::optional(it->second);
  }
  core::Status put_crl(const trust::StoredCrl& c) override {
    crls[c.url] = c;
    return {};
  }
  core::Result<std::vector<trust::StoredCrl>> list_crls() override {
    std::vector<trust::StoredCrl> out;
    for (const auto& [u, c] : crls) out.push_back(c);
    return out;
  }
  core::Status put_fetched_certificate(const trust::StoredFetchedCertificate& c) override {
    certs[c.sha256] = c;
    return {};
  }
  core::Result<std::vector<trust::StoredFetchedCertificate>> fetched_certificates() override {
    std::vector<trust::StoredFetchedCertificate> out;
    for (const auto& [k, c] : certs) out.push_back(c);
    return out;
  }
  std::map<std::string, trust::StoredCrl> crls;
  std::map<std::string, trust::StoredFetchedCertificate> certs;
};

}  // namespace

TEST_CASE(
    "fetched CRLs and AIA issuers are written through to the CrlStore and reused after a restart") {
  Pki p;
  MemoryCrlStore store;
  {
    trust::Validator first({p.root.cert}, &store, p.options());
    REQUIRE(first.validate(p.request(p.alice, trust::Operation::verify_signature)).valid);
  }
  CHECK(store.crls.size() == 2);
  CHECK(store.certs.size() == 1);
  auto before = p.server.requests();
  p.server.set_mode(Mode::down);
  trust::Validator second({p.root.cert}, &store, p.options());
  auto r = second.validate(p.request(p.alice, trust::Operation::verify_signature));
  CHECK(r.valid);
  CHECK(p.server.requests() == before);

  SECTION(
      "a stored CRL past its nextUpdate is not used: fetched again, and fails closed when down") {
    trust::Validator third({p.root.cert}, &store, p.options());
    auto req = p.request(p.alice, trust::Operation::verify_signature);
    req.at = kAt + 8 * 24h;  // the CRLs' nextUpdate is kAt + 7 days
    auto stale = third.validate(req);
    CHECK(stale.has_error("revocation_unknown"));
    CHECK(p.server.requests() > before);  // it tried to fetch fresh copies
  }
}

TEST_CASE("an AIA answer in PKCS#7 certs-only form is understood") {
  Pki p;
  auto dir = std::filesystem::temp_directory_path() / ("trust_p7_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream pem(dir / "int.pem");
    pem << p.inter.cert.PEM_encode() << p.root.cert.PEM_encode();
  }
  auto cmd = "openssl crl2pkcs7 -nocrl -certfile " + (dir / "int.pem").string() +
             " -outform DER -out " + (dir / "int.p7c").string();
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(dir / "int.p7c", std::ios::binary);
  std::string p7((std::istreambuf_iterator<char>(in)), {});
  std::filesystem::remove_all(dir);
  p.server.serve("/int.crt", p7);
  trust::Validator v({p.root.cert}, nullptr, p.options());
  auto r = v.validate(p.request(p.alice, trust::Operation::verify_signature));
  CHECK(r.valid);
  CHECK(p.server.requests("/int.crt") == 1);
}

TEST_CASE("refresh_due fetches CRLs close to nextUpdate again, and a new revocation is seen") {
  Pki p;
  trust::Validator v({p.root.cert}, nullptr, p.options());
  REQUIRE(v.validate(p.request(p.alice, trust::Operation::verify_signature)).valid);
  p.publish({p.alice.cert});
  CHECK(v.crls().refresh_due(kAt, std::chrono::hours(1)) == 0);  // nextUpdate is 7 days away
  CHECK(v.crls().refresh_due(kAt, std::chrono::hours(24 * 8)) == 2);
  CHECK(v.validate(p.request(p.alice, trust::Operation::verify_signature)).has_error("revoked"));
}
