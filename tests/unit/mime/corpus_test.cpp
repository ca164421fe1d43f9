// The Thunderbird S/MIME corpus: every .eml parses, and for every clear-signed part OpenSSL
// verifies the detached signature over our canonical first-part bytes (proves exact ranges).
#include <catch2/catch.hpp>
#include <filesystem>

#include "mime_test_util.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "test_env.hpp"

using namespace smimegw::mime;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_files() {
  fs::path dir = smimegw::test::shared_dir() / "corpus" / "thunderbird-comm-central";
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".eml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Signatures that are wrong on purpose in the corpus (README.txt): body changed after signing,
// or a SignerInfo over different content.
bool expected_bad(const fs::path& p) {
  std::string n = p.filename().string();
  return n.find(".bad.") != std::string::npos || n.find("mismatch-econtent") != std::string::npos ||
         n.find("outer-smime-bad-sig") != std::string::npos;
}

bool verify_with_openssl(const Message& m, const Part& signed_part,
                         const smimegw::mime::test::TempDir& dir) {
  std::string content = signed_content(m, signed_part);
  const Part& sig = signed_part.children.at(1);
  auto der = decode_transfer(m.bytes(sig.body), sig.transfer_encoding, true);
  REQUIRE(der.ok());
  smimegw::mime::test::write_file(dir / "part.bin", content);
  smimegw::mime::test::write_file(dir / "sig.der", *der);
  return smimegw::mime::test::run(
      "openssl cms -verify -inform DER -in " + (dir / "sig.der").string() + " -content " +
      (dir / "part.bin").string() + " -binary -noverify -out /dev/null");
}

}  // namespace

TEST_CASE("corpus_every_eml_parses", "[mime][corpus]") {
  auto files = corpus_files();
  REQUIRE(files.size() >= 60);
  for (const auto& f : files) {
    INFO(f);
    std::string raw = smimegw::test::read_file(f);
    auto r = parse(raw);
    REQUIRE(r.ok());
    CHECK(r->root.entity.slice(raw) == raw);
  }
}

TEST_CASE("corpus_clear_signed_parts_verify_with_openssl", "[mime][corpus][openssl]") {
  smimegw::mime::test::TempDir dir;
  int verified = 0, refused = 0;
  for (const auto& f : corpus_files()) {
    std::string raw = smimegw::test::read_file(f);
    auto r = parse(raw);
    REQUIRE(r.ok());
    std::vector<const Part*> parts;
    smimegw::mime::test::all_parts(r->root, parts);
    for (const Part* p : parts) {
      if (!p->content_type.is("multipart", "signed") || p->children.size() != 2) continue;
      auto proto = p->content_type.params.get("protocol");
      if (!proto || proto->find("pkcs7-signature") == std::string::npos) continue;
      INFO(f << " at offset " << p->entity.begin);
      bool ok = verify_with_openssl(*r, *p, dir);
      // Oracle: OpenSSL's own S/MIME parser on the same entity (some corpus signatures are
      // broken by construction, README.txt "verification failure").
      smimegw::mime::test::write_file(dir / "entity.eml", r->bytes(p->entity));
      bool oracle = smimegw::mime::test::run("openssl cms -verify -inform SMIME -noverify -in " +
                                             (dir / "entity.eml").string() + " -out /dev/null");
      CHECK(ok == oracle);
      if (expected_bad(f)) CHECK_FALSE(ok);
      if (f.parent_path().filename() == "smime" &&
          f.filename().string().starts_with("alice.dsig.") && !expected_bad(f))
        CHECK(ok);
      (ok ? verified : refused)++;
    }
  }
  CHECK(verified >= 19);
  CHECK(refused >= 8);  // the tampered ones really fail: the check can fail
}

TEST_CASE("corpus_signed_part_bytes_match_the_original", "[mime][corpus]") {
  fs::path f = smimegw::test::shared_dir() /
               "corpus/thunderbird-comm-central/smime/alice.dsig.SHA256.multipart.eml";
  std::string raw = smimegw::test::read_file(f);
  auto r = parse(raw);
  REQUIRE(r.ok());
  const Part& first = r->root.children.at(0);
  std::string expect =
      "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n"
      "Content-Language: en-US\r\n\r\n"
      "This is a test message from Alice to Bob.\r\n";
  CHECK(first.entity.slice(raw) == expect);
  CHECK(signed_content(*r, r->root) == expect);
}

TEST_CASE("corpus_signature_verifies_from_bare_lf_copy", "[mime][corpus][openssl]") {
  fs::path f = smimegw::test::shared_dir() /
               "corpus/thunderbird-comm-central/smime/alice.dsig.SHA256.multipart.eml";
  std::string raw = smimegw::test::read_file(f);
  std::string lf;
  for (char c : raw)
    if (c != '\r') lf.push_back(c);
  auto r = parse(lf);
  REQUIRE(r.ok());
  CHECK(r->line_endings == LineEndings::Lf);
  smimegw::mime::test::TempDir dir;
  CHECK(verify_with_openssl(*r, r->root, dir));
}

TEST_CASE("corpus_pkcs7_mime_bodies_decode_to_cms_openssl_accepts", "[mime][corpus][openssl]") {
  smimegw::mime::test::TempDir dir;
  int checked = 0, signed_ok = 0;
  for (const auto& f : corpus_files()) {
    std::string raw = smimegw::test::read_file(f);
    auto r = parse(raw);
    REQUIRE(r.ok());
    std::vector<const Part*> parts;
    smimegw::mime::test::all_parts(r->root, parts);
    for (const Part* p : parts) {
      if (p->content_type.type != "application" ||
          (p->content_type.subtype != "pkcs7-mime" && p->content_type.subtype != "x-pkcs7-mime"))
        continue;
      INFO(f << " at offset " << p->entity.begin);
      auto der = decode_transfer(r->bytes(p->body), p->transfer_encoding, true);
      REQUIRE(der.ok());
      smimegw::mime::test::write_file(dir / "p7.der", *der);
      CHECK(smimegw::mime::test::run("openssl cms -cmsout -inform DER -in " +
                                     (dir / "p7.der").string() + " -out /dev/null"));
      ++checked;
      if (p->content_type.params.get("smime-type") == "signed-data") {
        smimegw::mime::test::write_file(dir / "entity.eml", r->bytes(p->entity));
        bool ours = smimegw::mime::test::run("openssl cms -verify -inform DER -noverify -in " +
                                             (dir / "p7.der").string() + " -out /dev/null");
        bool oracle = smimegw::mime::test::run("openssl cms -verify -inform SMIME -noverify -in " +
                                               (dir / "entity.eml").string() + " -out /dev/null");
        CHECK(ours == oracle);
        signed_ok += ours;
      }
    }
  }
  CHECK(checked >= 60);
  CHECK(signed_ok >= 30);
}
