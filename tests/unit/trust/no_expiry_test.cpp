// trust: certificates with notAfter 99991231235959Z (RFC 5280 §4.1.2.5, "no well-defined
// expiration"), made by `openssl ca -enddate`, validate like any other: as a leaf under an ordinary
// root, and as a self-signed root. A tampered one (same stand-in time, other bytes) still fails.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "no_expiry_pki.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/collection.hpp"
#include "smimegw/trust/validator.hpp"

using namespace smimegw;
namespace fs = std::filesystem;

namespace {

Botan::X509_Certificate one(const fs::path& p) {
  auto certs = trust::load_certificates(p);
  REQUIRE(certs);
  REQUIRE(certs->size() == 1);
  return certs->front();
}

trust::ValidationResult check(const Botan::X509_Certificate& anchor,
                              const Botan::X509_Certificate& leaf) {
  trust::ValidatorOptions o;
  o.fetch_crls = false;
  trust::Validator v({anchor}, nullptr, o);
  trust::ValidationRequest req;
  req.certificate = leaf;
  req.at = std::chrono::sys_days{std::chrono::year{2030} / 1 / 1};
  req.operation = trust::Operation::encrypt_to;
  req.address = "fran@example.com";
  req.revocation = trust::RevocationMode::off;
  return v.validate(req);
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + " ";
  return s;
}

}  // namespace

TEST_CASE("no-expiry certificates (notAfter 99991231235959Z) validate as leaf and as root") {
  const fs::path dir =
      fs::temp_directory_path() / ("smimegw_noexpiry_" + std::to_string(::getpid()));
  test::make_no_expiry_pki(dir);

  SECTION("a leaf that never expires, under an ordinary root") {
    auto r = check(one(dir / "root.pem"), one(dir / "leaf.pem"));
    INFO(joined(r.error_codes()));
    CHECK(r.valid);
  }
  SECTION("an ordinary leaf under a self-signed root that never expires") {
    auto root = one(dir / "root9999.pem");
    auto r = check(root, one(dir / "leaf2.pem"));
    INFO(joined(r.error_codes()));
    CHECK(r.valid);
    // the thumbprint is the one of the bytes as issued, not of the stand-in Botan parsed
    auto der_cmd = "openssl x509 -in " + (dir / "root9999.pem").string() + " -outform DER -out " +
                   (dir / "root9999.der").string();
    REQUIRE(std::system(der_cmd.c_str()) == 0);
    std::ifstream dbin(dir / "root9999.der", std::ios::binary);
    std::vector<std::uint8_t> der((std::istreambuf_iterator<char>(dbin)), {});
    auto real = trust::describe_certificate(der);
    REQUIRE(real);
    CHECK(real->anchor.is_root);
    CHECK(real->is_ca);
    CHECK(real->anchor.sha256 == trust::sha256_hex(root));
  }
  SECTION("a tampered no-expiry leaf keeps its bad signature") {
    auto leaf = one(dir / "leaf.pem");
    auto der = leaf.BER_encode();
    // flip one byte of the subject's public key (inside the TBS, outside the validity)
    auto key = leaf.subject_public_key_bits();
    auto at = std::search(der.begin(), der.end(), key.begin(), key.end());
    REQUIRE(at != der.end());
    at[static_cast<long>(key.size() / 2)] ^= 0x01;
    Botan::X509_Certificate tampered(der);
    auto r = check(one(dir / "root.pem"), tampered);
    CHECK_FALSE(r.valid);
    CHECK(r.has_error("bad_signature"));
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
