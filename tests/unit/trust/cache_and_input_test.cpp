// Result cache (hits, invalidation by AnchorStore generation and CRL changes), the CRL serial
// index on a 100,000-entry CRL, and bad input (garbage certificates, CRLs, PKCS#7).
#include <botan/bigint.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/validator.hpp"
#include "test_pki.hpp"

using namespace smimegw;
using namespace std::chrono_literals;

namespace {

const test::time_point kAt = std::chrono::sys_days{std::chrono::year{2031} / 1 / 1};

// An AnchorStore in memory, counting generation() calls.
class MemoryAnchors final : public trust::AnchorStore {
 public:
  core::Result<std::int64_t> add(const trust::StoredAnchor& a) override {
    auto copy = a;
    copy.id = static_cast<std::int64_t>(items_.size()) + 1;
    items_.push_back(copy);
    ++gen_;
    return copy.id;
  }
  core::Result<std::vector<trust::StoredAnchor>> list(bool enabled_only) override {
    std::vector<trust::StoredAnchor> out;
    for (const auto& a : items_)
      if (!enabled_only || a.enabled) out.push_back(a);
    return out;
  }
  core::Result<std::optional<trust::StoredAnchor>> find(std::int64_t id) override {
    for (const auto& a : items_)
      if (a.id == id) return std::optional(a);
    return std::optional<trust::StoredAnchor>{};
  }
  core::Status set_enabled(std::int64_t id, bool enabled) override {
    for (auto& a : items_)
      if (a.id == id) a.enabled = enabled;
    ++gen_;
    return {};
  }
  core::Status remove(std::int64_t) override { return {}; }
  core::Result<std::int64_t> generation() override {
    if (fail) return core::Error::transient("db_unavailable", "down");
    return gen_;
  }
  bool fail = false;

 private:
  std::vector<trust::StoredAnchor> items_;
  std::int64_t gen_ = 1;
};

struct Chain {
  test::Issued root, inter, leaf;
  std::vector<std::uint8_t> root_crl, inter_crl;
  Chain() {
    test::CertSpec r{.cn = "Cache Root", .ca = true};
    r.not_before = kAt - 1000 * 24h;
    r.not_after = kAt + 1000 * 24h;
    root = test::issue(r, nullptr);
    test::CertSpec i{.cn = "Cache Intermediate", .ca = true};
    i.not_before = r.not_before;
    i.not_after = r.not_after;
    inter = test::issue(i, &root);
    test::CertSpec l{.cn = "dave", .email = "dave@example.com"};
    l.not_before = kAt - 24h;
    l.not_after = kAt + 365 * 24h;
    leaf = test::issue(l, &inter);
    root_crl = test::make_crl(root, {}, kAt - 24h, kAt + 24h);
    inter_crl = test::make_crl(inter, {}, kAt - 24h, kAt + 24h);
  }
  trust::ValidationRequest request() const {
    trust::ValidationRequest r;
    r.certificate = leaf.cert;
    r.extra_certificates = {inter.cert};
    r.at = kAt;
    r.operation = trust::Operation::verify_signature;
    return r;
  }
  void preload(trust::Validator& v) const {
    REQUIRE(v.crls().add(root_crl, "root").ok());
    REQUIRE(v.crls().add(inter_crl, "inter").ok());
  }
};

trust::StoredAnchor stored(const Botan::X509_Certificate& c) {
  trust::StoredAnchor a;
  a.der = c.BER_encode();
  a.sha256 = trust::sha256_hex(c);
  a.is_root = c.is_self_signed();
  return a;
}

}  // namespace

TEST_CASE("the result cache answers repeats and is dropped when CRLs change") {
  Chain c;
  trust::ValidatorOptions opt;
  opt.fetch_crls = false;
  trust::Validator v({c.root.cert}, nullptr, opt);
  c.preload(v);
  auto first = v.validate(c.request());
  REQUIRE(first.valid);
  CHECK_FALSE(first.from_cache);
  auto second = v.validate(c.request());
  CHECK(second.valid);
  CHECK(second.from_cache);

  SECTION("another address or operation is another entry") {
    auto req = c.request();
    req.address = "someone@example.com";
    auto r = v.validate(req);
    CHECK_FALSE(r.from_cache);
    CHECK(r.has_error("address_mismatch"));
  }
  SECTION("a new CRL revoking the leaf invalidates the cached answer") {
    REQUIRE(v.crls().add(test::make_crl(c.inter, {c.leaf.cert}, kAt - 1h, kAt + 24h), "new").ok());
    auto r = v.validate(c.request());
    CHECK_FALSE(r.from_cache);
    CHECK(r.has_error("revoked"));
  }
  SECTION("a time in another bucket is computed again") {
    auto req = c.request();
    req.at = kAt + 1h;
    CHECK_FALSE(v.validate(req).from_cache);
  }
}

TEST_CASE("anchors come from the AnchorStore and a generation change drops cached results") {
  Chain c;
  MemoryAnchors store;
  REQUIRE(store.add(stored(c.root.cert)).ok());
  trust::ValidatorOptions opt;
  opt.fetch_crls = false;
  opt.anchor_poll = 0ms;
  trust::Validator v(store, nullptr, opt);
  c.preload(v);
  REQUIRE(v.validate(c.request()).valid);
  REQUIRE(v.validate(c.request()).from_cache);

  REQUIRE(store.set_enabled(1, false).ok());
  auto with_root = c.request();
  with_root.extra_certificates.push_back(
      c.root.cert);  // the message carries the (now untrusted) root
  auto r = v.validate(with_root);
  CHECK_FALSE(r.from_cache);
  CHECK(r.has_error("untrusted_root"));

  SECTION("a stored intermediate is used for chain building") {
    REQUIRE(store.set_enabled(1, true).ok());
    REQUIRE(store.add(stored(c.inter.cert)).ok());
    auto req = c.request();
    req.extra_certificates.clear();
    CHECK(v.validate(req).valid);
  }
  SECTION("an unreadable store fails closed") {
    store.fail = true;
    auto f = v.validate(c.request());
    CHECK_FALSE(f.valid);
    CHECK(f.has_error("anchors_unavailable"));
  }
}

TEST_CASE("a 100,000-entry CRL is indexed once and looked up by serial") {
  Chain c;
  auto big = test::make_crl_serials(c.inter, 100000, 5000000, kAt - 24h, kAt + 24h);
  auto crl = trust::IndexedCrl::parse(big, "big");
  REQUIRE(crl.ok());
  CHECK((*crl)->size() == 100000);
  auto serial = [](std::uint64_t n) { return Botan::BigInt::encode(Botan::BigInt(n)); };
  CHECK((*crl)->is_listed(serial(5000000)));
  CHECK((*crl)->is_listed(serial(5099999)));
  CHECK_FALSE((*crl)->is_listed(serial(5100000)));
  CHECK_FALSE((*crl)->is_listed(serial(4999999)));
  auto t0 = std::chrono::steady_clock::now();
  std::size_t hits = 0;
  for (std::uint64_t i = 0; i < 100000; ++i)
    hits += (*crl)->is_listed(serial(5000000 + i * 7 % 200000));
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(hits > 0);
  CHECK(took < 5s);  // 100k lookups; a linear scan per lookup would take minutes
}

TEST_CASE("garbage certificates, CRLs and PKCS#7 give codes") {
  std::vector<std::uint8_t> junk(300);
  for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<std::uint8_t>(i * 37 + 11);
  CHECK(trust::parse_certificates(junk).error().code == "malformed_certificate");
  std::vector<std::uint8_t> empty;
  CHECK(trust::parse_certificates(empty).error().code == "malformed_certificate");
  std::string pem = "-----BEGIN CERTIFICATE-----\nAAAA!!!\n-----END CERTIFICATE-----\n";
  CHECK(trust::parse_certificates(std::vector<std::uint8_t>(pem.begin(), pem.end())).error().code ==
        "malformed_certificate");
  std::string p7 = "-----BEGIN PKCS7-----\nMIIBAAYJKoZIhvcNAQcCoIA=\n-----END PKCS7-----\n";
  CHECK(trust::parse_certificates(std::vector<std::uint8_t>(p7.begin(), p7.end())).error().code ==
        "malformed_certificate");
  CHECK(trust::IndexedCrl::parse(junk, "junk").error().code == "malformed_crl");
  trust::CrlCache cache;
  CHECK(cache.add(junk, "junk").error().code == "malformed_crl");
  // A truncated real certificate
  Chain c;
  auto der = c.leaf.cert.BER_encode();
  der.resize(der.size() / 2);
  CHECK_FALSE(trust::parse_certificates(der).ok());
  // A truncated real CRL
  auto crl = c.inter_crl;
  crl.resize(crl.size() - 10);
  CHECK(trust::IndexedCrl::parse(crl, "cut").error().code == "malformed_crl");
}

TEST_CASE("a PEM bundle and a PKCS#7 certs-only answer both yield every certificate") {
  Chain c;
  std::string pem;
  for (const auto* cert : {&c.leaf.cert, &c.inter.cert}) pem += cert->PEM_encode();
  pem = "junk before\n" + pem + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
  auto r = trust::parse_certificates(std::vector<std::uint8_t>(pem.begin(), pem.end()));
  REQUIRE(r.ok());
  CHECK(r->size() == 2);
}
