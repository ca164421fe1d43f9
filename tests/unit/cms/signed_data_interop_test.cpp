// SignedData interop with OpenSSL 3 `openssl cms`, both directions.
#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "openssl_pki.hpp"
#include "smimegw/cms/signed_data.hpp"

using namespace smimegw;
using smimegw::test::identity;
using smimegw::test::run;

namespace {

struct KeyCase {
  std::string id;
  bool pss;
};

// Ed25519 is not here: OpenSSL 3.0's CMS cannot sign or verify Ed25519 ("no default digest" /
// "invalid digest"); see the Ed25519 test case below.
const std::vector<KeyCase> kSignKeys = {
    {"rsa", false}, {"rsa", true}, {"p256", false}, {"p384", false}};

std::string md_name(cms::DigestAlgorithm d) {
  switch (d) {
    case cms::DigestAlgorithm::sha1:
      return "sha1";
    case cms::DigestAlgorithm::sha224:
      return "sha224";
    case cms::DigestAlgorithm::sha256:
      return "sha256";
    case cms::DigestAlgorithm::sha384:
      return "sha384";
    case cms::DigestAlgorithm::sha512:
      return "sha512";
  }
  return "";
}

/// The DER element starting at `off` (definite lengths only).
std::vector<std::uint8_t> ber_element(const std::vector<std::uint8_t>& d, std::size_t off) {
  std::size_t i = off + 1;
  std::size_t len = d[i++];
  if (len & 0x80) {
    const std::size_t n = len & 0x7F;
    len = 0;
    for (std::size_t k = 0; k < n; ++k) len = (len << 8) | d[i++];
  }
  return std::vector<std::uint8_t>(d.begin() + static_cast<long>(off),
                                   d.begin() + static_cast<long>(i + len));
}

}  // namespace

TEST_CASE("openssl cms -verify accepts our SignedData for every key type, digest, mode and sid",
          "[cms][sign][interop]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(3000);
  const auto content_file = test::tmp("content");
  test::write_bytes(content_file, content);
  int checked = 0;
  for (const auto& k : kSignKeys) {
    for (auto d : {cms::DigestAlgorithm::sha256, cms::DigestAlgorithm::sha384,
                   cms::DigestAlgorithm::sha512}) {
      if (k.id == "ed25519" && d != cms::DigestAlgorithm::sha512) continue;
      for (bool detached : {true, false}) {
        for (auto sid : {cms::SignerIdKind::issuer_serial, cms::SignerIdKind::subject_key_id}) {
          const auto& id = identity(k.id);
          cms::SignerSpec s{id.cert, id.key.get(), d, k.pss, sid, {}};
          cms::SignOptions o;
          o.detached = detached;
          o.signing_time = std::chrono::system_clock::now();
          auto der = cms::sign(content, {s}, o, rng);
          INFO(k.id << (k.pss ? "-pss " : " ") << md_name(d) << " detached=" << detached
                    << " ski=" << (sid == cms::SignerIdKind::subject_key_id));
          REQUIRE(der.ok());
          const auto sig = test::tmp("sig");
          const auto out = test::tmp("out");
          test::write_bytes(sig, *der);
          const std::string cmd =
              "openssl cms -verify -binary -noverify -inform DER -in " + sig.string() +
              (detached ? " -content " + content_file.string() : "") + " -out " + out.string();
          const int rc = run(cmd);
          INFO(test::last_log());
          CHECK(rc == 0);
          CHECK((test::read_bytes(out) == content));
          // and we read back what we wrote
          auto v =
              cms::verify(*der, detached ? std::optional<std::span<const std::uint8_t>>(content)
                                         : std::nullopt);
          REQUIRE(v.ok());
          CHECK(v->all_valid());
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 48);
}

TEST_CASE("we verify OpenSSL SignedData for every key type, digest, mode and sid",
          "[cms][verify][interop]") {
  const auto content = test::sample_content(2500);
  const auto content_file = test::tmp("content");
  test::write_bytes(content_file, content);
  for (const auto& k : kSignKeys) {
    for (std::string md : {"sha1", "sha224", "sha256", "sha384", "sha512"}) {
      if (k.id == "ed25519" && md != "sha512") continue;
      for (bool detached : {true, false}) {
        for (bool keyid : {false, true}) {
          const auto& id = identity(k.id);
          const auto sig = test::tmp("osig");
          std::string cmd = "openssl cms -sign -binary -in " + content_file.string() + " -signer " +
                            id.cert_pem.string() + " -inkey " + id.key_pem.string() +
                            " -outform DER -out " + sig.string() + (detached ? "" : " -nodetach") +
                            (keyid ? " -keyid" : "") + (k.id == "ed25519" ? "" : " -md " + md) +
                            (k.pss ? " -keyopt rsa_padding_mode:pss" : "");
          INFO(cmd);
          REQUIRE(run(cmd) == 0);
          const auto der = test::read_bytes(sig);
          auto v = cms::verify(
              der, detached ? std::optional<std::span<const std::uint8_t>>(content) : std::nullopt);
          REQUIRE(v.ok());
          REQUIRE(v->signers.size() == 1);
          const auto& s = v->signers[0];
          INFO(s.status << " " << (s.errors.empty() ? "" : s.errors[0].message));
          CHECK(s.certificate.has_value());
          CHECK(s.sid.is_ski() == keyid);
          CHECK(s.signing_time.has_value());
          CHECK(s.signature_algorithm == (k.pss               ? "RSA-PSS"
                                          : k.id == "rsa"     ? "RSA"
                                          : k.id == "ed25519" ? "Ed25519"
                                                              : "ECDSA"));
          if (md == "sha1") {
            CHECK(s.status == "weak_algorithm");
            cms::VerifyOptions lax;
            lax.accept_sha1 = true;
            auto v2 = cms::verify(
                der,
                detached ? std::optional<std::span<const std::uint8_t>>(content) : std::nullopt,
                lax);
            REQUIRE(v2.ok());
            CHECK(v2->all_valid());
          } else {
            CHECK(s.status == "ok");
            CHECK(v->all_valid());
          }
          if (!detached) {
            REQUIRE(v->content.has_value());
            CHECK((*v->content == content));
          }
          CHECK(v->certificates.size() == 1);
        }
      }
    }
  }
}

TEST_CASE("OpenSSL SignedData without signed attributes verifies over the content",
          "[cms][verify][interop]") {
  const auto content = test::sample_content(500);
  const auto content_file = test::tmp("content");
  test::write_bytes(content_file, content);
  for (std::string k : {"rsa", "p256"}) {
    const auto& id = identity(k);
    const auto sig = test::tmp("noattr");
    REQUIRE(run("openssl cms -sign -binary -noattr -nodetach -in " + content_file.string() +
                " -signer " + id.cert_pem.string() + " -inkey " + id.key_pem.string() +
                " -outform DER -out " + sig.string()) == 0);
    auto v = cms::verify(test::read_bytes(sig), std::nullopt);
    REQUIRE(v.ok());
    CHECK(v->all_valid());
    CHECK_FALSE(v->signers[0].signing_time.has_value());
  }
}

TEST_CASE("several signers: both directions", "[cms][sign][verify][interop]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(800);
  const auto content_file = test::tmp("content");
  test::write_bytes(content_file, content);
  const auto& a = identity("rsa");
  const auto& b = identity("p256");
  const auto& c = identity("p384");
  // ours → OpenSSL (b's certificate given as chain of a: it is carried once)
  cms::SignerSpec sa{
      a.cert,  a.key.get(), cms::DigestAlgorithm::sha256, false, cms::SignerIdKind::issuer_serial,
      {b.cert}};
  cms::SignerSpec sb{
      b.cert, b.key.get(), cms::DigestAlgorithm::sha384, false, cms::SignerIdKind::subject_key_id,
      {}};
  cms::SignerSpec sc{
      c.cert, c.key.get(), cms::DigestAlgorithm::sha512, false, cms::SignerIdKind::issuer_serial,
      {}};
  auto der = cms::sign(content, {sa, sb, sc}, cms::SignOptions{}, rng);
  REQUIRE(der.ok());
  const auto sig = test::tmp("multi");
  test::write_bytes(sig, *der);
  CHECK(run("openssl cms -verify -binary -noverify -inform DER -in " + sig.string() + " -content " +
            content_file.string() + " -out /dev/null") == 0);
  auto mine = cms::verify(*der, content);
  REQUIRE(mine.ok());
  CHECK(mine->signers.size() == 3);
  CHECK(mine->certificates.size() == 3);
  CHECK(mine->certificates_der.size() == 3);
  CHECK(mine->all_valid());
  // OpenSSL → ours
  const auto osig = test::tmp("omulti");
  REQUIRE(run("openssl cms -sign -binary -in " + content_file.string() + " -signer " +
              a.cert_pem.string() + " -inkey " + a.key_pem.string() + " -signer " +
              b.cert_pem.string() + " -inkey " + b.key_pem.string() + " -outform DER -out " +
              osig.string()) == 0);
  auto theirs = cms::verify(test::read_bytes(osig), content);
  REQUIRE(theirs.ok());
  CHECK(theirs->signers.size() == 2);
  CHECK(theirs->all_valid());
}

TEST_CASE(
    "Ed25519 SignedData (RFC 8419): our signature verifies, tampering is detected and the raw "
    "signature verifies with openssl pkeyutl",
    "[cms][sign][verify]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(700);
  const auto& id = identity("ed25519");
  cms::SignerSpec s{
      id.cert, id.key.get(), cms::DigestAlgorithm::sha256, false, cms::SignerIdKind::issuer_serial,
      {}};
  cms::SignOptions o;
  o.detached = false;
  auto der = cms::sign(content, {s}, o, rng);
  REQUIRE(der.ok());
  auto v = cms::verify(*der, std::nullopt);
  REQUIRE(v.ok());
  REQUIRE(v->signers.size() == 1);
  CHECK(v->signers[0].status == "ok");
  CHECK(v->signers[0].signature_algorithm == "Ed25519");
  CHECK(v->signers[0].digest_algorithm == "SHA-512");
  auto bad = cms::verify(*der, std::nullopt);
  // flip one byte of the signature (the last bytes of the message)
  auto tampered = *der;
  tampered[tampered.size() - 5] ^= 1;
  auto t = cms::verify(tampered, std::nullopt);
  REQUIRE(t.ok());
  CHECK(t->signers[0].status == "bad_signature");
  // Independent check of the math: OpenSSL verifies the Ed25519 signature over the DER signed
  // attributes, extracted with openssl's own parser.
  const auto f = test::tmp("ed");
  test::write_bytes(f, *der);
  const auto attrs = test::tmp("attrs");
  const auto sig = test::tmp("edsig");
  const auto pub = test::tmp("pub");
  REQUIRE(run("openssl x509 -in " + id.cert_pem.string() + " -pubkey -noout > " + pub.string()) ==
          0);
  // the SignerInfo's signed attributes and signature via asn1parse offsets
  REQUIRE(run("openssl asn1parse -inform DER -in " + f.string() + " > " + attrs.string() +
              ".txt") == 0);
  const std::string listing = [&] {
    auto b = test::read_bytes(attrs.string() + ".txt");
    return std::string(b.begin(), b.end());
  }();
  // the last "cont [ 0 ]" is the signed attributes, the last OCTET STRING the signature
  const auto cont0 = listing.rfind("cont [ 0 ]");
  REQUIRE(cont0 != std::string::npos);
  const auto line_start = listing.rfind('\n', cont0) + 1;
  const long off =
      std::stol(listing.substr(line_start, listing.find(':', line_start) - line_start));
  const auto octet = listing.rfind("OCTET STRING");
  const auto oline = listing.rfind('\n', octet) + 1;
  const long soff = std::stol(listing.substr(oline, listing.find(':', oline) - oline));
  auto attr_tlv = ber_element(*der, static_cast<std::size_t>(off));
  attr_tlv[0] = 0x31;
  test::write_bytes(attrs, attr_tlv);
  auto sig_tlv = ber_element(*der, static_cast<std::size_t>(soff));
  test::write_bytes(sig, std::vector<std::uint8_t>(sig_tlv.end() - 64, sig_tlv.end()));
  CHECK(run("openssl pkeyutl -verify -rawin -pubin -inkey " + pub.string() + " -in " +
            attrs.string() + " -sigfile " + sig.string()) == 0);
  INFO(test::last_log());
  (void)bad;
}
