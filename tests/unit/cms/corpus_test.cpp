// The Thunderbird S/MIME corpus (../shared/corpus/thunderbird-comm-central, see its README.txt):
// NSS- and OpenSSL-made messages with their expected outcomes. Our SHA-1 policy (weak_algorithm
// unless accepted) matches Thunderbird's default; with accept_sha1 it matches allow_sha1.
#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <botan/pkix_types.h>

#include <catch2/catch.hpp>
#include <map>

#include "openssl_pki.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/signed_data.hpp"
#include "test_env.hpp"

using namespace smimegw;

namespace {

std::filesystem::path corpus() {
  return test::shared_dir() / "corpus" / "thunderbird-comm-central";
}

std::string text(const std::filesystem::path& p) {
  auto b = test::read_bytes(p);
  REQUIRE(!b.empty());
  return std::string(b.begin(), b.end());
}

std::vector<std::uint8_t> b64(std::string_view s) {
  auto v = Botan::base64_decode(std::string(s), true);
  return std::vector<std::uint8_t>(v.begin(), v.end());
}

/// Body of a single-part message (after the first blank line), base64-decoded.
std::vector<std::uint8_t> opaque_body(const std::string& msg) {
  auto pos = msg.find("\r\n\r\n");
  std::size_t skip = 4;
  if (pos == std::string::npos) {
    pos = msg.find("\n\n");
    skip = 2;
  }
  REQUIRE(pos != std::string::npos);
  return b64(msg.substr(pos + skip));
}

struct ClearSigned {
  std::vector<std::uint8_t> content;
  std::vector<std::uint8_t> signature;
};

/// Splits a top-level multipart/signed message (CRLF) into the exact first part and the p7s.
ClearSigned split_multipart(const std::string& msg) {
  const auto bpos = msg.find("boundary=\"");
  REQUIRE(bpos != std::string::npos);
  const auto bend = msg.find('"', bpos + 10);
  const std::string delim = "--" + msg.substr(bpos + 10, bend - bpos - 10);
  const auto first = msg.find("\r\n" + delim + "\r\n");
  REQUIRE(first != std::string::npos);
  const auto start = first + 2 + delim.size() + 2;
  const auto second = msg.find("\r\n" + delim + "\r\n", start);
  REQUIRE(second != std::string::npos);
  const auto sig_start = msg.find("\r\n\r\n", second + 2 + delim.size()) + 4;
  const auto sig_end = msg.find("\r\n" + delim + "--", sig_start);
  REQUIRE(sig_end != std::string::npos);
  ClearSigned cs;
  cs.content.assign(msg.begin() + static_cast<long>(start),
                    msg.begin() + static_cast<long>(second));
  cs.signature = b64(msg.substr(sig_start, sig_end - sig_start));
  return cs;
}

struct P12Identity {
  std::filesystem::path cert_pem, key_pem;
  cms::CertificateId id;
  std::shared_ptr<Botan::Private_Key> key;
};

/// PEM key + certificate out of a corpus PKCS#12 with `openssl pkcs12` (PKCS#12 parsing in C++
/// is tested elsewhere). The certificate is matched by the ids read from its DER: Botan refuses
/// Fran's (notAfter 99991231235959Z).
const P12Identity& p12_identity(const std::string& name, const std::filesystem::path& p12) {
  static auto& cache = *new std::map<std::string, P12Identity>;  // see openssl_pki.cpp
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  P12Identity p;
  p.cert_pem = test::work_dir() / (name + ".p12.crt");
  p.key_pem = test::work_dir() / (name + ".p12.key");
  const auto der = test::work_dir() / (name + ".p12.der");
  REQUIRE(test::run("openssl pkcs12 -in " + p12.string() +
                    " -passin pass:nss -nodes -nocerts -out " + p.key_pem.string()) == 0);
  REQUIRE(test::run("openssl pkcs12 -in " + p12.string() +
                    " -passin pass:nss -clcerts -nokeys -out " + p.cert_pem.string()) == 0);
  REQUIRE(test::run("openssl x509 -in " + p.cert_pem.string() + " -outform DER -out " +
                    der.string()) == 0);
  auto id = cms::certificate_id(test::read_bytes(der));
  REQUIRE(id.ok());
  p.id = *id;
  Botan::DataSource_Stream src(p.key_pem.string());
  p.key.reset(Botan::PKCS8::load_key(src).release());
  return cache.emplace(name, std::move(p)).first->second;
}

}  // namespace

TEST_CASE("corpus: NSS clear-signed alice.dsig.* verify as Thunderbird expects",
          "[cms][verify][corpus]") {
  struct Case {
    std::string file;
    std::string status;
    std::string status_allow_sha1;
  };
  std::vector<Case> cases;
  for (std::string h : {"SHA256", "SHA384", "SHA512"}) {
    cases.push_back({"alice.dsig." + h + ".multipart.eml", "ok", "ok"});
    cases.push_back(
        {"alice.dsig." + h + ".multipart.bad.eml", "digest_mismatch", "digest_mismatch"});
    cases.push_back({"alice.dsig." + h + ".multipart.mismatch-econtent.eml", "digest_mismatch",
                     "digest_mismatch"});
  }
  cases.push_back({"alice.dsig.SHA1.multipart.eml", "weak_algorithm", "ok"});
  cases.push_back({"alice.dsig.SHA1.multipart.bad.eml", "digest_mismatch", "digest_mismatch"});
  cases.push_back(
      {"alice.future.dsig.SHA256.multipart.eml", "ok", "ok"});  // Date check is smime's job
  for (const auto& c : cases) {
    INFO(c.file);
    const auto cs = split_multipart(text(corpus() / "smime" / c.file));
    for (bool allow : {false, true}) {
      cms::VerifyOptions o;
      o.accept_sha1 = allow;
      auto v = cms::verify(cs.signature, std::span<const std::uint8_t>(cs.content), o);
      REQUIRE(v.ok());
      REQUIRE(v->signers.size() == 1);
      CHECK(v->signers[0].status == (allow ? c.status_allow_sha1 : c.status));
      REQUIRE(v->signers[0].certificate.has_value());
      CHECK(v->signers[0].certificate->subject_dn().to_string().find("Alice") != std::string::npos);
      CHECK(v->signers[0].signing_time.has_value());
      CHECK(v->certificates.size() >= 1);
    }
  }
}

TEST_CASE("corpus: NSS opaque alice.sig.* verify and return the encapsulated content",
          "[cms][verify][corpus]") {
  for (std::string h : {"SHA1", "SHA256", "SHA384", "SHA512"}) {
    for (std::string kind : {"alice.sig.", "alice.html.sig."}) {
      const auto file = kind + h + ".opaque.eml";
      INFO(file);
      const auto der = opaque_body(text(corpus() / "smime" / file));
      auto v = cms::verify(der, std::nullopt);
      REQUIRE(v.ok());
      REQUIRE(v->signers.size() == 1);
      CHECK(v->signers[0].status == (h == "SHA1" ? "weak_algorithm" : "ok"));
      CHECK(v->signers[0].digest_algorithm == (h == "SHA1" ? "SHA-1" : "SHA-" + h.substr(3)));
      REQUIRE(v->content.has_value());
      const std::string body(v->content->begin(), v->content->end());
      CHECK(body.find("This is a test message from Alice to Bob") != std::string::npos);
    }
  }
}

TEST_CASE(
    "corpus: NSS enveloped messages decrypt with Bob's key to exactly what OpenSSL gets, and "
    "nested opaque signatures verify",
    "[cms][decrypt][corpus]") {
  Botan::AutoSeeded_RNG rng;
  const auto& bob = p12_identity("bob", corpus() / "smime" / "Bob.p12");
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(corpus() / "smime")) {
    const std::string name = e.path().filename().string();
    if (name.size() < 8 || name.substr(name.size() - 8) != ".env.eml") continue;
    INFO(name);
    const auto der = opaque_body(text(e.path()));
    auto d = cms::decrypt(der, cms::DecryptKey{bob.id, bob.key.get()}, rng);
    INFO((d.ok() ? "" : d.error().code + " " + d.error().message));
    REQUIRE(d.ok());
    const auto ref = test::tmp("ref");
    REQUIRE(test::run("openssl cms -decrypt -binary -in " + e.path().string() + " -recip " +
                      bob.cert_pem.string() + " -inkey " + bob.key_pem.string() + " -out " +
                      ref.string()) == 0);
    CHECK((d->content == test::read_bytes(ref)));
    const std::string inner(d->content.begin(), d->content.end());
    if (name.find(".sig.") != std::string::npos && name.find("opaque") != std::string::npos) {
      auto v = cms::verify(opaque_body(inner), std::nullopt, cms::VerifyOptions{true, {}});
      REQUIRE(v.ok());
      CHECK(v->all_valid());
    }
    ++n;
  }
  CHECK(n >= 10);
}

TEST_CASE("corpus: OpenSSL-made OAEP and ECDH envelopes for Fran decrypt",
          "[cms][decrypt][corpus]") {
  Botan::AutoSeeded_RNG rng;
  const auto dir = corpus() / "smime-interop";
  const auto& fran = p12_identity("fran", dir / "Fran.p12");
  const auto& fran_ec = p12_identity("fran-ec", dir / "Fran-ec.p12");
  for (std::string file :
       {"fran-oaep_ossl.env", "fran-oaep-label_ossl.env", "fran-oaep-sha256hash_ossl.env",
        "fran-oaep-sha256hash-sha256mgf_ossl.env", "fran-ec_ossl-aes128-sha256.env",
        "fran-ec_ossl-aes256-sha512.env"}) {
    INFO(file);
    const auto& id = file.find("-ec_") != std::string::npos ? fran_ec : fran;
    const auto der = opaque_body(text(dir / file));
    auto d = cms::decrypt(der, cms::DecryptKey{id.id, id.key.get()}, rng);
    INFO((d.ok() ? "" : d.error().code + " " + d.error().message));
    REQUIRE(d.ok());
    const auto ref = test::tmp("fref");
    REQUIRE(test::run("openssl cms -decrypt -binary -in " + (dir / file).string() + " -recip " +
                      id.cert_pem.string() + " -inkey " + id.key_pem.string() + " -out " +
                      ref.string()) == 0);
    CHECK((d->content == test::read_bytes(ref)));
    CHECK(d->recipient_kind == (&id == &fran_ec ? "kari-ecdh" : "ktri-rsa-oaep"));
    // Bob is not a recipient of Fran's mail.
    const auto& bob = p12_identity("bob", corpus() / "smime" / "Bob.p12");
    auto wrong = cms::decrypt(der, cms::DecryptKey{bob.id, bob.key.get()}, rng);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().code == "no_matching_recipient");
  }
}
