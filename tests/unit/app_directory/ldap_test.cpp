// LDAP lookups against a real slapd (tests/support/slapd/start.sh) and against TCP listeners that
// never answer or answer junk.
#include <catch2/catch.hpp>
#include <set>

#include "directory_fixture.hpp"

using namespace dtest;
using directory::LdapDirectory;
using directory::LdapOptions;

namespace {

LdapOptions quick() {
  LdapOptions o;
  o.connect_timeout = std::chrono::milliseconds(1000);
  o.search_timeout = std::chrono::milliseconds(1000);
  return o;
}

LdapDirectory directory_for(const std::string& endpoint, LdapOptions o = quick()) {
  auto ep = directory::parse_ldap_endpoint(endpoint);
  REQUIRE(ep.ok());
  return LdapDirectory({*ep}, o);
}

}  // namespace

TEST_CASE("slapd: certificates by userSMIMECertificate (DER and PKCS#7) and by userCertificate") {
  Pki pki;
  auto der_cert = pki.issue("der@example.test");
  auto p7_a = pki.issue("p7@example.test");
  auto p7_b = pki.issue("p7@example.test", app::pki::Usage::encrypt);
  auto uc = pki.issue("uc@example.test");
  Slapd slapd(person("der", "der@example.test", {{"userSMIMECertificate", der_cert.BER_encode()}}) +
              person("p7", "p7@example.test", {{"userSMIMECertificate", pkcs7_of({p7_a, p7_b})}}) +
              person("uc", "uc@example.test", {{"userCertificate;binary", uc.BER_encode()}}) +
              person("none", "none@example.test", {}));
  auto ldap = directory_for(slapd.endpoint());

  auto der = run(ldap.lookup(0, "der@example.test"));
  REQUIRE(der.ok());
  REQUIRE(der->certificates.size() == 1);
  CHECK(der->certificates[0].der == der_cert.BER_encode());
  CHECK(der->certificates[0].attribute == "userSMIMECertificate");
  CHECK(der->certificates[0].entry_dn == "cn=der,ou=people,dc=example,dc=test");

  auto p7 = run(ldap.lookup(0, "p7@example.test"));
  REQUIRE(p7.ok());
  REQUIRE(p7->certificates.size() == 2);  // a SET OF: DER order, not insertion order
  std::set<std::vector<std::uint8_t>> got{p7->certificates[0].der, p7->certificates[1].der};
  CHECK(got == std::set<std::vector<std::uint8_t>>{p7_a.BER_encode(), p7_b.BER_encode()});

  auto byuc = run(ldap.lookup(0, "uc@example.test"));
  REQUIRE(byuc.ok());
  REQUIRE(byuc->certificates.size() == 1);
  CHECK(byuc->certificates[0].attribute == "userCertificate");

  auto none = run(ldap.lookup(0, "none@example.test"));
  REQUIRE(none.ok());
  CHECK(none->entries == 1);
  CHECK(none->certificates.empty());
  auto missing = run(ldap.lookup(0, "nobody@example.test"));
  REQUIRE(missing.ok());
  CHECK(missing->entries == 0);
  // a filter injection attempt matches nothing instead of everything
  auto star = run(ldap.lookup(0, "*"));
  REQUIRE(star.ok());
  CHECK(star->entries == 0);
  // an explicit search base in the URL
  auto based = directory_for(slapd.endpoint() + "/ou=people,dc=example,dc=test");
  CHECK(run(based.lookup(0, "der@example.test"))->certificates.size() == 1);
}

TEST_CASE("slapd: answers (found and not found) come from the cache within the TTL") {
  Pki pki;
  auto cert = pki.issue("c@example.test");
  Slapd slapd(person("c", "c@example.test", {{"userSMIMECertificate", cert.BER_encode()}}));
  auto o = quick();
  // long enough that a loaded CI machine answers the first lookups well within it
  o.cache_ttl = std::chrono::seconds(6);
  auto ldap = directory_for(slapd.endpoint(), o);
  REQUIRE(run(ldap.lookup(0, "c@example.test"))->certificates.size() == 1);
  REQUIRE(run(ldap.lookup(0, "nobody@example.test"))->entries == 0);
  CHECK(ldap.searches() == 2);
  slapd.stop();  // from now on only the cache can answer
  auto hit = run(ldap.lookup(0, "c@example.test"));
  REQUIRE(hit.ok());
  CHECK(hit->from_cache);
  CHECK(hit->certificates.size() == 1);
  auto negative = run(ldap.lookup(0, "nobody@example.test"));
  REQUIRE(negative.ok());
  CHECK(negative->from_cache);
  CHECK(ldap.searches() == 2);
  CHECK(ldap.cache_hits() == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(6100));
  auto expired = run(ldap.lookup(0, "c@example.test"));
  REQUIRE_FALSE(expired.ok());  // TTL over: asked again, and the server is gone
  CHECK(expired.error().code == "ldap_unavailable");
}

TEST_CASE("LDAP down: a refused port is ldap_unavailable, quickly") {
  auto port = free_port();
  auto ldap = directory_for("127.0.0.1:" + std::to_string(port));
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(ldap.lookup(0, "a@example.test"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "ldap_unavailable");
  CHECK(r.error().temporary);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(900));
}

TEST_CASE("LDAP slow: a server that accepts and never answers gives lookup_timeout in time") {
  FakeServer silent;
  auto ldap = directory_for("ldap://127.0.0.1:" + std::to_string(silent.port()));
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(ldap.lookup(0, "a@example.test"));
  auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "lookup_timeout");
  CHECK(took >= std::chrono::milliseconds(900));
  CHECK(took < std::chrono::milliseconds(3000));
}

TEST_CASE("LDAP garbage: a server answering junk gives ldap_garbage") {
  // a well-formed BER SEQUENCE that is not an LDAPMessage, then plain text
  std::string junk("\x30\x05\x02\x01\x01\x04\x00", 7);
  FakeServer liar(junk + "HTTP/1.1 400 Bad Request\r\n\r\n");
  auto ldap = directory_for("ldap://127.0.0.1:" + std::to_string(liar.port()));
  auto r = run(ldap.lookup(0, "a@example.test"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "ldap_garbage");
}

TEST_CASE("slapd: values that are not certificates are ldap_garbage, not an empty answer") {
  std::vector<std::uint8_t> junk{'n', 'o', 't', ' ', 'a', ' ', 'c', 'e', 'r', 't'};
  Slapd slapd(person("j", "j@example.test", {{"userSMIMECertificate", junk}}));
  auto ldap = directory_for(slapd.endpoint());
  auto r = run(ldap.lookup(0, "j@example.test"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "ldap_garbage");
}
