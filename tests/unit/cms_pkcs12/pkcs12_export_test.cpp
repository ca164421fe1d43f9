// export_pkcs12: OpenSSL 3.0 reads what we write (same keys and certificates back), our parser
// round-trips it, and a file may carry two key pairs (signing and encryption certificates).
#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include <catch2/catch.hpp>

#include "pkcs12_test_util.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "test_env.hpp"

using namespace smimegw::test::p12;
using smimegw::cms::export_pkcs12;
using smimegw::cms::parse_pkcs12;
using smimegw::cms::Pkcs12ExportEntry;
using smimegw::cms::Pkcs12ExportOptions;

namespace {
std::string mat(const std::string& name) {
  return material().dir / name;
}
}  // namespace

TEST_CASE("exported pkcs12 with two key pairs is read by openssl and by parse_pkcs12") {
  Botan::AutoSeeded_RNG rng;
  auto sign_key = load_key_pem(mat("rsa.key"));
  auto enc_key = load_key_pem(mat("ec.key"));
  const Botan::X509_Certificate sign_cert(mat("rsa.pem"));
  const Botan::X509_Certificate enc_cert(mat("ec.pem"));
  const Botan::X509_Certificate ca(mat("ca.pem"));
  const std::vector<Pkcs12ExportEntry> entries{
      {sign_key.get(), &sign_cert, "Alice signing"},
      {enc_key.get(), &enc_cert, "Alice encryption \xC3\x96"}};
  Pkcs12ExportOptions opts;
  opts.pbkdf2_iterations = 2048;
  opts.mac_iterations = 4096;
  opts.chain.push_back(ca);
  auto p12 = export_pkcs12(entries, "p\xC3\xA4ss word", rng, opts);
  INFO((p12 ? "" : p12.error().code + ": " + p12.error().message));
  REQUIRE(p12.ok());

  TempDir d;
  write_bytes(d.path() / "out.p12", *p12);
  must_run(d,
           "openssl pkcs12 -in out.p12 -passin 'pass:p\xC3\xA4ss word' -info -nodes -out all.pem");
  const std::string info = smimegw::test::read_file(d.path() / "last.log");
  CHECK_THAT(info, Catch::Contains("MAC: sha256, Iteration 4096"));
  CHECK_THAT(
      info, Catch::Contains(
                "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
  CHECK_THAT(
      info,
      Catch::Contains(
          "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
  const std::string all = smimegw::test::read_file(d.path() / "all.pem");
  CHECK_THAT(all, Catch::Contains("friendlyName: Alice signing"));

  const auto keys = pem_blocks(all, "PRIVATE KEY");
  REQUIRE(keys.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    Botan::DataSource_Memory src(keys[i]);
    auto k = Botan::PKCS8::load_key(src);
    CHECK(k->subject_public_key() == entries[i].private_key->subject_public_key());
  }
  const auto certs = pem_blocks(all, "CERTIFICATE");
  REQUIRE(certs.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    Botan::DataSource_Memory src(certs[i]);
    const Botan::X509_Certificate c(src);
    const auto& want = i < 2 ? *entries[i].certificate : ca;
    CHECK(c.BER_encode() == want.BER_encode());
  }

  auto back = parse_pkcs12(*p12, "p\xC3\xA4ss word");
  INFO((back ? "" : back.error().code + ": " + back.error().message));
  REQUIRE(back.ok());
  CHECK(back->mac_algorithm == "SHA-256");
  REQUIRE(back->entries.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& e = back->entries[i];
    CHECK(e.private_key->subject_public_key() == entries[i].private_key->subject_public_key());
    REQUIRE(e.certificate.has_value());
    CHECK(e.certificate->BER_encode() == entries[i].certificate->BER_encode());
    CHECK(e.friendly_name == entries[i].friendly_name);
    CHECK(e.local_key_id.size() == 20);
  }
  CHECK(back->entries[0].local_key_id != back->entries[1].local_key_id);
  REQUIRE(back->extra_certificates.size() == 1);
  CHECK(back->extra_certificates[0].der == ca.BER_encode());
}

TEST_CASE("openssl re-reads an exported pkcs12 and yields the same key and certificate") {
  Botan::AutoSeeded_RNG rng;
  auto key = load_key_pem(mat("rsa2.key"));
  const Botan::X509_Certificate cert(mat("rsa2.pem"));
  const std::vector<Pkcs12ExportEntry> entries{{key.get(), &cert, ""}};
  auto p12 = export_pkcs12(entries, "device-pin", rng);
  REQUIRE(p12.ok());
  TempDir d;
  write_bytes(d.path() / "dev.p12", *p12);
  must_run(d, "openssl pkcs12 -in dev.p12 -passin pass:device-pin -nocerts -nodes -out k.pem");
  must_run(d, "openssl pkcs12 -in dev.p12 -passin pass:device-pin -nokeys -clcerts -out c.pem");
  CHECK(openssl_spki(d, (d.path() / "k.pem").string()) == openssl_spki(d, mat("rsa2.key")));
  CHECK(openssl_cert_der(d, (d.path() / "c.pem").string()) == openssl_cert_der(d, mat("rsa2.pem")));
  // And the wrong password is refused by OpenSSL too.
  CHECK(run(d, "openssl pkcs12 -in dev.p12 -passin pass:wrong -nodes -out /dev/null") != 0);
}

TEST_CASE("export refuses a key that does not belong to its certificate and low iteration counts") {
  Botan::AutoSeeded_RNG rng;
  auto key = load_key_pem(mat("rsa.key"));
  const Botan::X509_Certificate other(mat("rsa2.pem"));
  const std::vector<Pkcs12ExportEntry> bad{{key.get(), &other, "x"}};
  auto r = export_pkcs12(bad, "pw", rng);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "key_mismatch");

  const Botan::X509_Certificate cert(mat("rsa.pem"));
  const std::vector<Pkcs12ExportEntry> good{{key.get(), &cert, "x"}};
  Pkcs12ExportOptions weak;
  weak.mac_iterations = 1000;
  auto w = export_pkcs12(good, "pw", rng, weak);
  REQUIRE_FALSE(w.ok());
  CHECK(w.error().code == "invalid_argument");

  const std::vector<Pkcs12ExportEntry> missing{{nullptr, &cert, "x"}};
  auto m = export_pkcs12(missing, "pw", rng);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code == "invalid_argument");
}

TEST_CASE("export with an empty password is read back by openssl and by parse_pkcs12") {
  Botan::AutoSeeded_RNG rng;
  auto key = load_key_pem(mat("ec.key"));
  const Botan::X509_Certificate cert(mat("ec.pem"));
  const std::vector<Pkcs12ExportEntry> entries{{key.get(), &cert, "no password"}};
  auto p12 = export_pkcs12(entries, "", rng);
  REQUIRE(p12.ok());
  TempDir d;
  write_bytes(d.path() / "e.p12", *p12);
  must_run(d, "openssl pkcs12 -in e.p12 -passin pass: -nocerts -nodes -out k.pem");
  CHECK(openssl_spki(d, (d.path() / "k.pem").string()) == openssl_spki(d, mat("ec.key")));
  auto back = parse_pkcs12(*p12, "");
  REQUIRE(back.ok());
  REQUIRE(back->entries.size() == 1);
  CHECK(back->entries[0].friendly_name == "no password");
}
