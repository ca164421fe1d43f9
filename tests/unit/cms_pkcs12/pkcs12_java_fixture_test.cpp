// Files written by another implementation (OpenJDK 17 keytool), checked in: two key pairs in one
// file, 3DES key with an unencrypted certificate, and keytool's RC2-40 legacy format.
#include <botan/x509_dn.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "pkcs12_test_util.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "test_env.hpp"

using namespace smimegw::test::p12;
using smimegw::cms::parse_pkcs12;

namespace {
Bytes fixture(const std::string& name) {
  return read_bytes(smimegw::test::source_dir() / "tests/fixtures/pkcs12" / name);
}
}  // namespace

TEST_CASE("keytool pkcs12 with a signing and an encryption key pair imports both, paired") {
  const Bytes der = fixture("java-keytool-two-keys.p12");
  auto r = parse_pkcs12(der, "changeit");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_algorithm == "SHA-256");
  REQUIRE(r->entries.size() == 2);
  CHECK(r->extra_certificates.empty());
  std::map<std::string, const smimegw::cms::Pkcs12Entry*> by_name;
  for (const auto& e : r->entries) {
    REQUIRE(e.certificate.has_value());
    CHECK(e.private_key->public_key_bits() == e.certificate->subject_public_key_bitstring());
    CHECK(std::string(e.local_key_id.begin(), e.local_key_id.end()).rfind("Time ", 0) == 0);
    by_name[e.friendly_name] = &e;
  }
  REQUIRE(by_name.count("alice-sign") == 1);
  REQUIRE(by_name.count("alice-encrypt") == 1);
  CHECK(by_name["alice-sign"]->private_key->algo_name() == "RSA");
  CHECK_THAT(by_name["alice-sign"]->certificate->subject_dn().to_string(),
             Catch::Contains("Alice Sign"));
  CHECK(by_name["alice-encrypt"]->private_key->algo_name() == "ECDSA");
  CHECK_THAT(by_name["alice-encrypt"]->certificate->subject_dn().to_string(),
             Catch::Contains("Alice Encrypt"));

  // OpenSSL extracts the same two keys, in file order.
  TempDir d;
  write_bytes(d.path() / "j.p12", der);
  must_run(d, "openssl pkcs12 -in j.p12 -passin pass:changeit -nocerts -nodes -out keys.pem");
  const auto keys = pem_blocks(smimegw::test::read_file(d.path() / "keys.pem"), "PRIVATE KEY");
  REQUIRE(keys.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    std::ofstream(d.path() / "k.pem") << keys[i];
    CHECK(openssl_spki(d, (d.path() / "k.pem").string()) ==
          r->entries[i].private_key->subject_public_key());
  }
}

TEST_CASE("keytool pkcs12 with a 3DES key bag and an unencrypted P-384 certificate imports") {
  auto r = parse_pkcs12(fixture("java-keytool-3des-plaincert.p12"), "changeit");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_algorithm == "SHA-1");
  REQUIRE(r->entries.size() == 1);
  const auto& e = r->entries[0];
  CHECK(e.friendly_name == "carol");
  REQUIRE(e.certificate.has_value());
  CHECK(e.private_key->public_key_bits() == e.certificate->subject_public_key_bitstring());
  CHECK(e.private_key->key_length() == 384);
  auto wrong = parse_pkcs12(fixture("java-keytool-3des-plaincert.p12"), "changeme");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "wrong_password");
}

TEST_CASE("keytool legacy pkcs12 (RC2-40 certificates) is unsupported_algorithm naming RC2-40") {
  auto r = parse_pkcs12(fixture("java-keytool-legacy-rc2.p12"), "changeit");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "unsupported_algorithm");
  CHECK_THAT(r.error().message, Catch::Contains("RC2-40"));
  CHECK_THAT(r.error().message, Catch::Contains("re-export"));
}
