// Import of files OpenSSL 3.0 writes at test time: default (PBES2/AES-256, SHA-256 MAC), legacy
// 3DES (3-key and 2-key) with SHA-1 MAC, unencrypted bags, no MAC, empty password, RC2-40.
#include <catch2/catch.hpp>
#include <map>

#include "pkcs12_test_util.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "test_env.hpp"

using namespace smimegw::test::p12;
using smimegw::cms::parse_pkcs12;

namespace {

const std::string& mat(const std::string& name) {
  static std::map<std::string, std::string> paths;
  auto& p = paths[name];
  if (p.empty()) p = material().dir / name;
  return p;
}

Bytes make_p12(const TempDir& d, const std::string& key, const std::string& cert,
               const std::string& extra_args) {
  must_run(d, "openssl pkcs12 -export -inkey '" + mat(key) + "' -in '" + mat(cert) +
                  "' -out out.p12 " + extra_args);
  return read_bytes(d.path() / "out.p12");
}

void check_entry(const TempDir& d, const smimegw::cms::Pkcs12Entry& e, const std::string& key,
                 const std::string& cert) {
  REQUIRE(e.private_key);
  CHECK(e.private_key->subject_public_key() == openssl_spki(d, mat(key)));
  REQUIRE(e.certificate.has_value());
  CHECK(e.certificate->BER_encode() == openssl_cert_der(d, mat(cert)));
  CHECK(e.certificate_der == openssl_cert_der(d, mat(cert)));
  CHECK(e.local_key_id.size() == 20);  // OpenSSL: SHA-1 of the certificate
}

}  // namespace

TEST_CASE("openssl default pkcs12 with RSA key and chain imports key, cert, chain and name") {
  TempDir d;
  const Bytes p12 =
      make_p12(d, "rsa.key", "rsa.pem",
               "-certfile '" + mat("ca.pem") + "' -name 'Alice Signing' -passout pass:s3cret");
  auto r = parse_pkcs12(p12, "s3cret");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_verified);
  CHECK(r->mac_algorithm == "SHA-256");
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  CHECK(r->entries[0].friendly_name == "Alice Signing");
  REQUIRE(r->extra_certificates.size() == 1);
  CHECK(r->extra_certificates[0].der == openssl_cert_der(d, mat("ca.pem")));
}

TEST_CASE("openssl default pkcs12 with EC key and no chain imports the EC key") {
  TempDir d;
  const Bytes p12 = make_p12(d, "ec.key", "ec.pem", "-name 'Alice EC' -passout pass:pw");
  auto r = parse_pkcs12(p12, "pw");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "ec.key", "ec.pem");
  CHECK(r->entries[0].private_key->algo_name() == "ECDSA");
  CHECK(r->extra_certificates.empty());
}

TEST_CASE("openssl legacy 3-key 3DES pkcs12 with SHA-1 MAC imports") {
  TempDir d;
  const Bytes p12 = make_p12(d, "rsa.key", "rsa.pem",
                             "-certfile '" + mat("ca.pem") +
                                 "' -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 "
                                 "-passout pass:legacy");
  auto r = parse_pkcs12(p12, "legacy");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_algorithm == "SHA-1");
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  CHECK(r->extra_certificates.size() == 1);
}

TEST_CASE("openssl 2-key 3DES pkcs12 imports") {
  TempDir d;
  const Bytes p12 =
      make_p12(d, "ec.key", "ec.pem",
               "-keypbe PBE-SHA1-2DES -certpbe PBE-SHA1-2DES -macalg sha1 -passout pass:two");
  auto r = parse_pkcs12(p12, "two");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "ec.key", "ec.pem");
}

TEST_CASE("openssl pkcs12 with AES-128/192 PBES2 and SHA-512 or SHA-384 MAC imports") {
  for (const char* args : {"-keypbe AES-128-CBC -certpbe AES-192-CBC -macalg sha512",
                           "-keypbe AES-192-CBC -certpbe AES-128-CBC -macalg sha384 -iter 1"}) {
    INFO(args);
    TempDir d;
    const Bytes p12 = make_p12(d, "rsa.key", "rsa.pem", std::string(args) + " -passout pass:x");
    auto r = parse_pkcs12(p12, "x");
    INFO((r ? "" : r.error().code + ": " + r.error().message));
    REQUIRE(r.ok());
    REQUIRE(r->entries.size() == 1);
    check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  }
}

TEST_CASE("openssl pkcs12 with unencrypted bags (keyBag) imports") {
  TempDir d;
  const Bytes p12 = make_p12(d, "rsa.key", "rsa.pem", "-keypbe NONE -certpbe NONE -passout pass:m");
  auto r = parse_pkcs12(p12, "m");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  // Nothing is encrypted, so a wrong password can't be told from alteration: wrong_password.
  auto bad = parse_pkcs12(p12, "n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "wrong_password");
}

TEST_CASE("openssl pkcs12 with an empty password imports with the empty password") {
  TempDir d;
  const Bytes p12 = make_p12(d, "ec.key", "ec.pem", "-passout pass:");
  auto r = parse_pkcs12(p12, "");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_verified);
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "ec.key", "ec.pem");
  auto bad = parse_pkcs12(p12, "x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "wrong_password");
}

TEST_CASE("openssl pkcs12 without MAC imports and reports the missing integrity check") {
  TempDir d;
  const Bytes p12 = make_p12(d, "rsa.key", "rsa.pem", "-nomac -passout pass:nomac");
  auto r = parse_pkcs12(p12, "nomac");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK_FALSE(r->mac_verified);
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  auto bad = parse_pkcs12(p12, "other");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "wrong_password");
}

TEST_CASE(
    "openssl -legacy pkcs12 (RC2-40 certificate bag) is unsupported_algorithm naming RC2-40") {
  TempDir d;
  // The legacy provider ships with Debian's OpenSSL 3.0; a checked-in file covers the same case.
  const Bytes made = make_p12(d, "rsa.key", "rsa.pem", "-legacy -passout pass:rc2");
  const Bytes fixture =
      read_bytes(smimegw::test::source_dir() / "tests/fixtures/pkcs12/rc2-40-legacy.p12");
  for (const auto& [p12, pw] : {std::pair{made, "rc2"}, std::pair{fixture, "rc2"}}) {
    auto r = parse_pkcs12(p12, pw);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "unsupported_algorithm");
    CHECK_THAT(r.error().message, Catch::Contains("RC2-40"));
    CHECK_THAT(r.error().message, Catch::Contains("AES-256-CBC"));
  }
  // With the wrong password the MAC decides first.
  auto wrong = parse_pkcs12(fixture, "nope");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "wrong_password");
}

TEST_CASE(
    "BER with indefinite lengths and constructed OCTET STRINGs imports (MAC still verifies)") {
  TempDir d;
  const Bytes p12 =
      make_p12(d, "rsa.key", "rsa.pem", "-certfile '" + mat("ca.pem") + "' -passout pass:ber");
  const Bytes ber = berify(p12);
  REQUIRE(ber != p12);
  REQUIRE(ber.size() > p12.size());
  auto r = parse_pkcs12(ber, "ber");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_verified);
  REQUIRE(r->entries.size() == 1);
  check_entry(d, r->entries[0], "rsa.key", "rsa.pem");
  CHECK(r->extra_certificates.size() == 1);
  // OpenSSL agrees that this BER is a valid PKCS#12.
  write_bytes(d.path() / "ber.p12", ber);
  must_run(d, "openssl pkcs12 -in ber.p12 -passin pass:ber -nodes -out /dev/null");
}

TEST_CASE("a non-ASCII password works as OpenSSL encodes it (UTF-8 for PBKDF2, BMP for the MAC)") {
  TempDir d;
  for (const char* args : {"", "-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1"}) {
    INFO(args);
    const Bytes p12 = make_p12(d, "ec.key", "ec.pem",
                               std::string(args) + " -passout 'pass:p\xC3\xA4ss \xE2\x82\xAC'");
    auto r = parse_pkcs12(p12, "p\xC3\xA4ss \xE2\x82\xAC");
    INFO((r ? "" : r.error().code + ": " + r.error().message));
    REQUIRE(r.ok());
    REQUIRE(r->entries.size() == 1);
    check_entry(d, r->entries[0], "ec.key", "ec.pem");
    auto wrong = parse_pkcs12(p12, "pass \xE2\x82\xAC");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "wrong_password");
  }
}

TEST_CASE("an empty password also matches a MAC made with an absent password, as in OpenSSL") {
  const Bytes p12 =
      read_bytes(smimegw::test::source_dir() / "tests/fixtures/pkcs12/absent-password-mac.p12");
  auto r = parse_pkcs12(p12, "");
  INFO((r ? "" : r.error().code + ": " + r.error().message));
  REQUIRE(r.ok());
  CHECK(r->mac_verified);
  REQUIRE(r->entries.size() == 1);
  CHECK(r->entries[0].friendly_name == "absent password");
  REQUIRE(r->entries[0].certificate.has_value());
  CHECK(r->entries[0].private_key->public_key_bits() ==
        r->entries[0].certificate->subject_public_key_bitstring());
  auto wrong = parse_pkcs12(p12, "x");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "wrong_password");
}
