// Recipient resolution with the real PostgreSQL stores, the trust validator and a real slapd.
#include <catch2/catch.hpp>
#include <set>

#include "directory_fixture.hpp"
#include "no_expiry_pki.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/trust/cert_io.hpp"

using namespace dtest;
using directory::RecipientResolution;

namespace {

struct World {
  Fixture f;
  Pki pki;
  core::SystemClock clock;
  std::unique_ptr<directory::LdapDirectory> ldap;

  void use_ldap(const std::vector<std::string>& endpoints) {
    auto eps = directory::parse_ldap_endpoints(endpoints);
    REQUIRE(eps.ok());
    directory::LdapOptions o;
    o.connect_timeout = o.search_timeout = std::chrono::milliseconds(1000);
    ldap = std::make_unique<directory::LdapDirectory>(*eps, o);
  }

  std::vector<RecipientResolution> resolve(std::vector<std::string> rcpts,
                                           std::string sender = "") {
    auto& v = pki.validator ? *pki.validator : pki.publish();
    directory::Resolver r(f.certificates, &f.groups, ldap.get(), v, clock);
    auto out = run(r.resolve(sender, std::move(rcpts)));
    REQUIRE(out.ok());
    return std::move(*out);
  }
};

const RecipientResolution& find(const std::vector<RecipientResolution>& rs,
                                const std::string& address) {
  for (const auto& r : rs)
    if (r.address == address) return r;
  FAIL("no result for " << address);
  throw;
}

}  // namespace

TEST_CASE("resolve: the GAL wins over LDAP, by primary and by proxy address") {
  World w;
  auto alice = w.f.user("alice@contoso.test", {"a.smith@contoso.test"});
  auto gal = w.pki.issue("alice@contoso.test");
  auto ldap_cert = w.pki.issue("alice@contoso.test", app::pki::Usage::both,
                               std::chrono::system_clock::now());  // newer, but LDAP
  w.f.gal(alice, gal);
  Slapd slapd(
      person("alice", "alice@contoso.test", {{"userSMIMECertificate", ldap_cert.BER_encode()}}) +
      person("ext", "ext@partner.test",
             {{"userSMIMECertificate", w.pki.issue("ext@partner.test").BER_encode()}}));
  w.use_ldap({slapd.endpoint()});
  auto rs = w.resolve({"Alice@Contoso.test", "a.smith@contoso.test", "ext@partner.test"});
  REQUIRE(rs.size() == 3);
  CHECK(rs[0].address == "alice@contoso.test");
  REQUIRE(rs[0].resolved());
  CHECK(rs[0].certificate->source == "gal");
  CHECK(rs[0].certificate->der == gal.BER_encode());
  REQUIRE(rs[1].resolved());  // the certificate names the primary address; proxy matches
  CHECK(rs[1].certificate->source == "gal");
  REQUIRE(rs[2].resolved());
  CHECK(rs[2].certificate->source == "ldap:" + slapd.endpoint());
}

TEST_CASE("resolve: a revoked and an expired candidate are skipped for a valid one; newest wins") {
  World w;
  auto bob = w.f.user("bob@contoso.test");
  auto now = std::chrono::system_clock::now();
  auto old_valid =
      w.pki.issue("bob@contoso.test", app::pki::Usage::both, now - std::chrono::hours(48));
  auto new_valid =
      w.pki.issue("bob@contoso.test", app::pki::Usage::both, now - std::chrono::hours(24));
  auto revoked =
      w.pki.issue("bob@contoso.test", app::pki::Usage::both, now - std::chrono::hours(1));
  auto expired =
      w.pki.issue("bob@contoso.test", app::pki::Usage::both, now - std::chrono::hours(24 * 40), 30);
  REQUIRE(w.pki.ca.revoke(revoked, "keyCompromise").ok());
  for (const auto& c : {old_valid, new_valid, revoked, expired}) w.f.gal(bob, c);
  auto rs = w.resolve({"bob@contoso.test"});
  REQUIRE(rs.size() == 1);
  REQUIRE(rs[0].resolved());
  CHECK(rs[0].certificate->der == new_valid.BER_encode());
  CHECK(rs[0].candidates.size() == 4);
  int revoked_seen = 0, expired_seen = 0;
  for (const auto& c : rs[0].candidates) {
    for (const auto& code : c.codes) {
      revoked_seen += code == "revoked";
      expired_seen += code == "expired";
    }
  }
  CHECK(revoked_seen == 1);
  CHECK(expired_seen == 1);
}

TEST_CASE("resolve: all_invalid lists each candidate's codes; no_certificate; bad_address") {
  World w;
  auto carol = w.f.user("carol@contoso.test");
  w.f.gal(carol, w.pki.issue("carol@contoso.test", app::pki::Usage::sign));  // cannot encrypt
  w.f.gal(carol, w.pki.issue("someone.else@contoso.test"));                  // wrong address
  auto rs = w.resolve({"carol@contoso.test", "nobody@partner.test", "not an address"});
  auto& c = find(rs, "carol@contoso.test");
  CHECK(c.reason == "all_invalid");
  REQUIRE(c.candidates.size() == 2);
  std::set<std::string> codes;
  for (const auto& cand : c.candidates) codes.insert(cand.codes.begin(), cand.codes.end());
  CHECK(codes.count("wrong_key_usage"));
  CHECK(codes.count("address_mismatch"));
  CHECK(find(rs, "nobody@partner.test").reason == "no_certificate");
  CHECK(find(rs, "not an address").reason == "bad_address");
}

TEST_CASE("resolve: the sender's installed certificates come before LDAP") {
  World w;
  w.f.user("dave@contoso.test");
  auto installed = w.pki.issue("friend@partner.test");
  directory::InstalledCertificate ic;
  ic.owner_user_id =
      std::stoll(w.f.sql1("SELECT id FROM users WHERE address = 'dave@contoso.test'"));
  ic.address = "friend@partner.test";
  ic.der = installed.BER_encode();
  for (char ch : installed.fingerprint("SHA-1"))
    if (ch != ':') ic.thumbprint += ch;
  ic.not_after = std::chrono::system_clock::from_time_t(installed.not_after().time_since_epoch());
  ic.source = "manual";
  REQUIRE(run(w.f.certificates.add_installed(ic)).ok());
  auto rs = w.resolve({"friend@partner.test"}, "dave@contoso.test");
  REQUIRE(rs[0].resolved());
  CHECK(rs[0].certificate->source == "installed");
  CHECK(w.resolve({"friend@partner.test"}, "other@contoso.test")[0].reason == "no_certificate");
}

TEST_CASE("resolve: a group is expanded and a bad member is reported on its own") {
  World w;
  auto u1 = w.f.user("u1@contoso.test");
  auto u2 = w.f.user("u2@contoso.test");
  w.f.gal(u1, w.pki.issue("u1@contoso.test"));
  auto bad = w.pki.issue("u2@contoso.test");
  REQUIRE(w.pki.ca.revoke(bad, "keyCompromise").ok());
  w.f.gal(u2, bad);
  w.f.group("team@contoso.test");
  w.f.group("inner@contoso.test");
  w.f.members("team@contoso.test", {"u1@contoso.test", "inner@contoso.test"});
  w.f.members("inner@contoso.test", {"u2@contoso.test", "team@contoso.test"});  // and a cycle
  auto rs = w.resolve({"team@contoso.test"});
  REQUIRE(rs.size() == 2);  // the cycle loses nothing, so no group entry
  auto& r1 = find(rs, "u1@contoso.test");
  CHECK(r1.resolved());
  CHECK(r1.via == std::vector<std::string>{"team@contoso.test"});
  auto& r2 = find(rs, "u2@contoso.test");
  CHECK(r2.reason == "all_invalid");
  CHECK(r2.via == std::vector<std::string>{"team@contoso.test", "inner@contoso.test"});
  REQUIRE(r2.candidates.size() == 1);
  CHECK(r2.candidates[0].codes.front() == "revoked");
}

TEST_CASE("resolve: a group over the depth limit gives group_expansion_failed for the group") {
  World w;
  for (int i = 1; i <= 11; ++i) w.f.group("d" + std::to_string(i) + "@contoso.test");
  for (int i = 1; i < 11; ++i)
    w.f.members("d" + std::to_string(i) + "@contoso.test",
                {"d" + std::to_string(i + 1) + "@contoso.test"});
  w.f.members("d11@contoso.test", {"deep@partner.test"});
  auto rs = w.resolve({"d1@contoso.test"});
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].address == "d1@contoso.test");
  CHECK(rs[0].reason == "group_expansion_failed");
  CHECK(rs[0].detail.find("depth_exceeded") != std::string::npos);
}

TEST_CASE("resolve: LDAP failures are the reason when nothing valid was found") {
  World w;
  FakeServer silent;
  auto refused = free_port();
  w.use_ldap({"127.0.0.1:" + std::to_string(refused)});
  CHECK(w.resolve({"x@partner.test"})[0].reason == "ldap_unavailable");
  w.use_ldap({"127.0.0.1:" + std::to_string(silent.port())});
  CHECK(w.resolve({"x@partner.test"})[0].reason == "lookup_timeout");
}

TEST_CASE("resolve: a GAL certificate that never expires (notAfter 99991231235959Z) is chosen") {
  // Botan cannot read that date; the resolver loads it through cms::load_certificate and reports
  // the thumbprint of the bytes as issued (not of the stand-in encoding it parsed).
  World w;
  const auto dir = temp_dir("noexpiry");
  test::make_no_expiry_pki(dir);
  const std::string der_cmd = "openssl x509 -in " + (dir / "leaf.pem").string() +
                              " -outform DER -out " + (dir / "leaf.der").string();
  REQUIRE(std::system(der_cmd.c_str()) == 0);
  std::ifstream in(dir / "leaf.der", std::ios::binary);
  const std::vector<std::uint8_t> der((std::istreambuf_iterator<char>(in)), {});
  REQUIRE(der.size() > 100);
  auto root = trust::load_certificates(dir / "root.pem");
  REQUIRE(root);
  trust::ValidatorOptions vo;
  vo.fetch_aia = vo.fetch_crls = false;
  trust::Validator validator(*root, nullptr, vo);

  auto fran = w.f.user("fran@example.com");
  directory::NewUserCertificate c;
  c.user_id = fran;
  c.der = der;
  c.thumbprint = directory::thumbprint_of(der);
  c.usage = directory::CertUsage::both;
  c.not_before = std::chrono::system_clock::now() - std::chrono::hours(24);
  c.not_after = std::chrono::system_clock::now() + std::chrono::hours(24 * 365 * 100);
  c.source = "import";
  REQUIRE(run(w.f.certificates.add_user_certificates({c}, {})).ok());

  directory::ResolverOptions ro;
  ro.revocation = trust::RevocationMode::off;
  directory::Resolver r(w.f.certificates, &w.f.groups, nullptr, validator, w.clock, ro);
  auto out = run(r.resolve("", {"fran@example.com"}));
  REQUIRE(out.ok());
  REQUIRE(out->size() == 1);
  const auto& res = (*out)[0];
  INFO(res.reason << " " << res.detail);
  REQUIRE(res.resolved());
  CHECK(res.certificate->der == der);
  CHECK(res.certificate->thumbprint == directory::thumbprint_of(der));
  REQUIRE(res.candidates.size() == 1);
  CHECK(res.candidates[0].valid);
  CHECK(res.candidates[0].codes.empty());
  std::error_code ec;
  fs::remove_all(dir, ec);
}
