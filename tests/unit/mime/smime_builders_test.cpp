// S/MIME builders proven with OpenSSL: our multipart/signed verifies as S/MIME, our
// application/pkcs7-mime decrypts, and the outer/inner split keeps the RFC 5322 headers outside.
#include <catch2/catch.hpp>

#include "mime_test_util.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/entity_builder.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/seven_bit.hpp"
#include "smimegw/mime/smime_entities.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "test_env.hpp"

using namespace smimegw::mime;
using smimegw::mime::test::run;
using smimegw::mime::test::TempDir;
using smimegw::mime::test::write_file;

namespace {

const char* kPlain =
    "From: Alice <alice@example.com>\n"
    "To: bob@example.com\n"
    "Subject: quarterly\n"
    "Date: Mon, 23 Nov 2026 03:00:00 +0000\n"
    "Message-ID: <1@example.com>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "\n"
    "Gr\xc3\xbc\xc3\x9f"
    "e\n"
    "From the team\n"
    "  trailing space   \n";

void make_cert(const TempDir& d) {
  REQUIRE(
      run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
          "-subj /CN=alice/emailAddress=alice@example.com -keyout " +
          (d / "k.pem").string() + " -out " + (d / "c.pem").string()));
}

std::string sign_detached(const TempDir& d, std::string_view content) {
  write_file(d / "content.bin", content);
  REQUIRE(run("openssl cms -sign -binary -outform DER -md sha256 -signer " +
              (d / "c.pem").string() + " -inkey " + (d / "k.pem").string() + " -in " +
              (d / "content.bin").string() + " -out " + (d / "sig.der").string()));
  return smimegw::test::read_file(d / "sig.der");
}

bool openssl_verifies(const TempDir& d, std::string_view message) {
  write_file(d / "msg.eml", message);
  return run("openssl cms -verify -inform SMIME -noverify -in " + (d / "msg.eml").string() +
             " -out " + (d / "out.bin").string());
}

}  // namespace

TEST_CASE("split_outer_moves_content_headers_inside", "[mime][builder]") {
  std::string raw = kPlain;
  auto m = parse(raw);
  REQUIRE(m.ok());
  SplitMessage s = split_outer(*m);
  CHECK(s.outer.find("From"));
  CHECK(s.outer.find("Message-ID"));
  CHECK_FALSE(s.outer.find("Content-Type"));
  CHECK_FALSE(s.outer.find("MIME-Version"));
  CHECK(s.content.starts_with(
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr"));
  CHECK(s.content.find("\n\n") == std::string::npos);  // canonical CRLF
  std::string wrapped = wrap_outer(s.outer, s.content);
  auto w = parse(wrapped);
  REQUIRE(w.ok());
  CHECK(w->header("Subject") == "quarterly");
  CHECK(w->header("From") == "Alice <alice@example.com>");
  CHECK(w->header("MIME-Version") == "1.0");
  CHECK(w->bytes(w->root.body) == canonical_crlf(m->bytes(m->root.body)));
}

TEST_CASE("multipart_signed_builder_verifies_with_openssl_smime", "[mime][builder][openssl]") {
  TempDir d;
  make_cert(d);
  std::string raw = kPlain;
  auto m = parse(raw);
  REQUIRE(m.ok());
  SplitMessage s = split_outer(*m);
  std::string der = sign_detached(d, s.content);
  std::string msg = wrap_outer(s.outer, build_multipart_signed(s.content, der));
  CHECK(openssl_verifies(d, msg));
  CHECK(smimegw::test::read_file(d / "out.bin") == s.content);

  // Our parser gives back exactly the signed bytes and the signature.
  auto p = parse(msg);
  REQUIRE(p.ok());
  REQUIRE(p->root.content_type.is("multipart", "signed"));
  CHECK(p->root.content_type.params.get("micalg") == "sha-256");
  CHECK(p->root.content_type.params.get("protocol") == "application/pkcs7-signature");
  CHECK(signed_content(*p, p->root) == s.content);
  const Part& sig = p->root.children.at(1);
  CHECK(decode_transfer(p->bytes(sig.body), sig.transfer_encoding, true).value() == der);
  CHECK(canonical_crlf(msg) == msg);  // no bare LF anywhere

  // A one-byte change inside the signed part must break verification (the test can fail).
  std::string tampered = msg;
  tampered[tampered.find("From the team")] = 'f';
  CHECK_FALSE(openssl_verifies(d, tampered));
}

TEST_CASE("multipart_signed_around_binary_leaf_verifies", "[mime][builder][openssl]") {
  TempDir d;
  make_cert(d);
  std::string bin;
  for (int i = 0; i < 5000; ++i) bin.push_back(static_cast<char>(i * 7));
  ContentType ct{"application", "octet-stream", {}};
  LeafOptions opt;
  opt.disposition = "attachment";
  opt.filename = "r\xc3\xa9sum\xc3\xa9.bin";
  auto leaf = build_leaf(ct, bin, opt);
  REQUIRE(leaf.ok());
  std::string entity = build_multipart("mixed", {*leaf});
  std::string der = sign_detached(d, entity);
  HeaderBlock outer;
  REQUIRE(outer.add("From", "alice@example.com").ok());
  REQUIRE(outer
              .add("Subject",
                   "Bericht \xc3\xbc"
                   "ber alles")
              .ok());
  std::string msg = wrap_outer(outer, build_multipart_signed(entity, der));
  CHECK(openssl_verifies(d, msg));
  auto p = parse(msg);
  REQUIRE(p.ok());
  const Part& att = p->root.children.at(0).children.at(0);
  CHECK(att.disposition->filename() == "r\xc3\xa9sum\xc3\xa9.bin");
  CHECK(decode_transfer(p->bytes(att.body), att.transfer_encoding, true).value() == bin);
}

TEST_CASE("pkcs7_mime_builder_decrypts_with_openssl", "[mime][builder][openssl]") {
  TempDir d;
  make_cert(d);
  std::string raw = kPlain;
  auto m = parse(raw);
  REQUIRE(m.ok());
  SplitMessage s = split_outer(*m);
  write_file(d / "content.bin", s.content);
  REQUIRE(run("openssl cms -encrypt -binary -aes-256-cbc -outform DER -in " +
              (d / "content.bin").string() + " -out " + (d / "env.der").string() + " " +
              (d / "c.pem").string()));
  std::string der = smimegw::test::read_file(d / "env.der");
  std::string msg = wrap_outer(s.outer, build_pkcs7_mime(der, SmimeType::EnvelopedData));
  write_file(d / "msg.eml", msg);
  REQUIRE(run("openssl cms -decrypt -inform SMIME -in " + (d / "msg.eml").string() + " -recip " +
              (d / "c.pem").string() + " -inkey " + (d / "k.pem").string() + " -out " +
              (d / "dec.bin").string()));
  CHECK(smimegw::test::read_file(d / "dec.bin") == s.content);
  auto p = parse(msg);
  REQUIRE(p.ok());
  CHECK(p->root.content_type.params.get("smime-type") == "enveloped-data");
  CHECK(p->root.content_type.params.get("name") == "smime.p7m");
  CHECK(p->header("To") == "bob@example.com");
  CHECK(decode_transfer(p->bytes(p->root.body), "base64", true).value() == der);
}

TEST_CASE("pkcs7_mime_builder_names_each_smime_type", "[mime][builder]") {
  CHECK(build_pkcs7_mime("x", SmimeType::AuthEnvelopedData).find("smime-type=authEnveloped-data") !=
        std::string::npos);
  CHECK(build_pkcs7_mime("x", SmimeType::SignedData).find("smime-type=signed-data") !=
        std::string::npos);
}

TEST_CASE("sign_path_split_7bit_sign_wrap_verifies", "[mime][builder][openssl]") {
  TempDir d;
  make_cert(d);
  std::string raw = kPlain;  // 8bit UTF-8 body with bare LF
  auto m = parse(raw);
  REQUIRE(m.ok());
  SplitMessage s = split_outer(*m);
  auto content = parse(s.content);
  REQUIRE(content.ok());
  SevenBitResult seven = to_7bit(*content);
  CHECK(seven.converted == 1);
  CHECK(is_ascii(seven.entity));
  std::string der = sign_detached(d, seven.entity);
  std::string msg = wrap_outer(s.outer, build_multipart_signed(seven.entity, der));
  CHECK(is_ascii(msg));
  CHECK(openssl_verifies(d, msg));
  CHECK(smimegw::test::read_file(d / "out.bin") == seven.entity);
}
