// trust: certificates with notAfter 99991231235959Z (RFC 5280 §4.1.2.5, "no well-defined
// expiration"), made by `openssl ca -enddate`, validate like any other: as a leaf under an ordinary
// root, and as a self-signed root. A tampered one (same stand-in time, other bytes) still fails.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/collection.hpp"
#include "smimegw/trust/validator.hpp"

using namespace smimegw;
namespace fs = std::filesystem;

namespace {

const char* kCaConfig = R"([ca]
default_ca = ca_default
[ca_default]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
emailAddress = optional
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:fran@example.com
[root_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
)";

// Makes, in `dir`: root.pem (ordinary), leaf.pem (notAfter 9999, issued by root.pem),
// root9999.pem (self-signed, notAfter 9999) and leaf2.pem (ordinary, issued by root9999.pem).
void make_pki(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "ca.cnf") << kCaConfig;
  std::ofstream(dir / "index.txt");
  std::ofstream(dir / "serial") << "1000\n";
  const std::string ca = "openssl ca -batch -config ca.cnf -notext -startdate 20200101000000Z ";
  const std::string cmd =
      "(cd " + dir.string() +
      " && openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem"
      "   -subj '/CN=Ordinary Root' -days 3650 -config ca.cnf -extensions root_ext"
      " && openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr"
      "   -subj '/CN=Fran/emailAddress=fran@example.com'"
      " && " +
      ca +
      "-enddate 99991231235959Z -cert root.pem -keyfile root.key -extensions leaf_ext"
      "   -in leaf.csr -out leaf.pem"
      " && openssl req -new -newkey rsa:2048 -nodes -keyout root9999.key -out root9999.csr"
      "   -subj '/CN=Forever Root'"
      " && " +
      ca +
      "-enddate 99991231235959Z -selfsign -keyfile root9999.key -extensions root_ext"
      "   -in root9999.csr -out root9999.pem"
      " && " +
      ca +
      "-enddate 20400101000000Z -cert root9999.pem -keyfile root9999.key"
      "   -extensions leaf_ext -in leaf.csr -out leaf2.pem"
      ") > " +
      (dir / "openssl.log").string() + " 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

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
  make_pki(dir);

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
