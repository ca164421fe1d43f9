// Thunderbird / NSS corpus: every .p12 (password "nss") imports with its key paired to its cert.
#include <botan/x509_dn.h>
#include <botan/x509cert.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "pkcs12_test_util.hpp"
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "test_env.hpp"

using namespace smimegw::test::p12;

TEST_CASE("every Thunderbird corpus pkcs12 imports with password nss") {
  const auto root = smimegw::test::shared_dir() / "corpus/thunderbird-comm-central";
  std::vector<std::filesystem::path> files;
  for (const char* sub : {"smime", "browser-smime-data", "smime-interop"})
    for (const auto& e : std::filesystem::directory_iterator(root / sub))
      if (e.path().extension() == ".p12") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 11);  // 7 in smime/, 2 in browser-smime-data/, 2 in smime-interop/

  for (const auto& f : files) {
    INFO(f.string());
    const Bytes der = read_bytes(f);
    auto r = smimegw::cms::parse_pkcs12(der, "nss");
    INFO((r ? "" : r.error().code + ": " + r.error().message));
    REQUIRE(r.ok());
    CHECK(r->mac_verified);
    REQUIRE(r->entries.size() == 1);
    const auto& e = r->entries[0];
    REQUIRE_FALSE(e.certificate_der.empty());
    // Fran's certificates have notAfter 99991231235959Z, which Botan 2.19 refuses to decode:
    // cms::load_certificate loads them with the stand-in notAfter and says so in a note.
    if (f.stem().string().rfind("Fran", 0) == 0) {
      REQUIRE(e.certificate.has_value());
      CHECK(e.certificate->not_after().to_string() == smimegw::cms::kNoExpiryStandIn);
      REQUIRE(r->notes.size() == 1);
      CHECK_THAT(r->notes[0], Catch::Contains("no expiry"));
      CHECK(e.private_key->public_key_bits() == e.certificate->subject_public_key_bitstring());
      CHECK_THAT(std::string(e.certificate_der.begin(), e.certificate_der.end()),
                 Catch::Contains("99991231235959Z"));
      CHECK(e.private_key->algo_name() == (f.stem() == "Fran" ? "RSA" : "ECDSA"));
    } else {
      REQUIRE(e.certificate.has_value());
      CHECK(e.private_key->public_key_bits() == e.certificate->subject_public_key_bitstring());
      // The subject's name is in the file name (Alice.p12 → CN contains Alice).
      const std::string stem = f.stem().string();
      CHECK_THAT(e.certificate->subject_dn().to_string(),
                 Catch::Contains(stem.substr(0, stem.find('-'))));
    }
    CHECK_FALSE(e.friendly_name.empty());

    auto wrong = smimegw::cms::parse_pkcs12(der, "NSS");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "wrong_password");
  }
}

TEST_CASE("corpus legacy (3DES, SHA-1 MAC) and modern files report their MAC algorithm") {
  const auto root = smimegw::test::shared_dir() / "corpus/thunderbird-comm-central";
  auto fran = smimegw::cms::parse_pkcs12(read_bytes(root / "smime-interop/Fran.p12"), "nss");
  REQUIRE(fran.ok());
  CHECK(fran->mac_algorithm == "SHA-1");
  auto alice = smimegw::cms::parse_pkcs12(read_bytes(root / "smime/Alice-ec.p12"), "nss");
  REQUIRE(alice.ok());
  CHECK(alice->mac_algorithm == "SHA-256");
  REQUIRE(alice->entries.size() == 1);
  CHECK(alice->entries[0].private_key->algo_name() == "ECDSA");
}
