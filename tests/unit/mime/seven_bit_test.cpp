// 7-bit conversion before signing: every leaf becomes 7-bit safe and decoded content is unchanged
// (the OpenSSL round trip is in smime_builders_test.cpp).
#include "smimegw/mime/seven_bit.hpp"

#include <catch2/catch.hpp>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"

using namespace smimegw::mime;

TEST_CASE("to_7bit_reencodes_8bit_and_binary_leaves_only", "[mime][builder]") {
  std::string bin("\x89PNG\r\n\x1a\n\x00\x01\xff", 11);
  std::string raw =
      "Content-Type: multipart/mixed; boundary=s\n\n--s\n"
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
      "8bit\n\nGr\xc3\xbc\xc3\x9f"
      "e\n"
      "\n--s\nContent-Type: text/plain\n\nascii only\n"
      "\n--s\nContent-Type: image/png\nContent-Transfer-Encoding: binary\n\n" +
      bin + "\n--s\nContent-Type: text/plain\n\n" + std::string(1200, 'L') + "\n--s--\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  SevenBitResult r = to_7bit(*m);
  CHECK(r.converted == 3);
  CHECK(is_ascii(r.entity));
  CHECK(canonical_crlf(r.entity) == r.entity);
  auto out = parse(r.entity);
  REQUIRE(out.ok());
  const auto& c = out->root.children;
  REQUIRE(c.size() == 4);
  CHECK(c[0].transfer_encoding == "quoted-printable");
  CHECK(decode_text(*out, c[0]).value() ==
        "Gr\xc3\xbc\xc3\x9f"
        "e\r\n");
  CHECK(c[1].transfer_encoding == "7bit");
  CHECK(out->bytes(c[1].entity) == "Content-Type: text/plain\r\n\r\nascii only\r\n");
  CHECK(c[2].transfer_encoding == "base64");
  CHECK(decode_body(*out, c[2], true).value() == bin);
  CHECK(c[3].transfer_encoding == "quoted-printable");
  CHECK(decode_body(*out, c[3]).value() == std::string(1200, 'L'));
}

TEST_CASE("to_7bit_leaves_signed_subtrees_alone", "[mime][builder]") {
  std::string raw =
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xc3\xa4\r\n"
      "--b\r\nContent-Type: application/pkcs7-signature\r\n\r\nAA==\r\n--b--\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  SevenBitResult r = to_7bit(*m);
  CHECK(r.converted == 0);
  CHECK(r.entity == raw);
}
