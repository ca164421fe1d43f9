// Parser byte ranges: every range is checked by slicing the original buffer.
#include <catch2/catch.hpp>

#include "smimegw/mime/parser.hpp"

using namespace smimegw::mime;

namespace {
const char* kSigned =
    "From: a@example.com\r\n"
    "Subject: hi\r\n"
    " folded\r\n"
    "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";\r\n"
    "\tmicalg=sha-256; boundary=\"BB\"\r\n"
    "\r\n"
    "preamble\r\n"
    "--BB\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "hello\r\n"
    "\r\n"
    "--BB\r\n"
    "Content-Type: application/pkcs7-signature\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "AAEC\r\n"
    "--BB--\r\n"
    "epilogue\r\n";
}

TEST_CASE("parse_multipart_signed_ranges_slice_exactly", "[mime][parser]") {
  std::string raw = kSigned;
  auto r = parse(raw);
  REQUIRE(r.ok());
  const Message& m = *r;
  const Part& root = m.root;
  CHECK(m.line_endings == LineEndings::Crlf);
  CHECK(root.entity.slice(raw) == raw);
  CHECK(root.header.slice(raw).substr(0, 6) == "From: ");
  CHECK(root.header.slice(raw).ends_with("boundary=\"BB\"\r\n"));
  CHECK(root.body.slice(raw).starts_with("preamble\r\n--BB"));
  REQUIRE(root.headers.size() == 3);
  CHECK(root.headers[1].raw_value(raw) == " hi\r\n folded");
  CHECK(root.headers[1].unfolded(raw) == "hi folded");
  CHECK(root.headers[1].field.slice(raw) == "Subject: hi\r\n folded\r\n");
  CHECK(root.content_type.mime_type() == "multipart/signed");
  CHECK(root.content_type.params.get("micalg") == "sha-256");
  CHECK(root.boundary == "BB");
  CHECK(root.preamble.slice(raw) == "preamble");
  REQUIRE(root.children.size() == 2);
  REQUIRE(root.delimiters.size() == 3);
  CHECK(root.delimiters[0].slice(raw) == "\r\n--BB\r\n");
  CHECK(root.delimiters[1].slice(raw) == "\r\n--BB\r\n");
  CHECK(root.delimiters[2].slice(raw) == "\r\n--BB--\r\n");
  CHECK(root.closed);
  CHECK(root.epilogue.slice(raw) == "epilogue\r\n");
  const Part& c0 = root.children[0];
  CHECK(c0.entity.slice(raw) == "Content-Type: text/plain\r\n\r\nhello\r\n");
  CHECK(c0.header.slice(raw) == "Content-Type: text/plain\r\n");
  CHECK(c0.body.slice(raw) == "hello\r\n");
  const Part& c1 = root.children[1];
  CHECK(c1.body.slice(raw) == "AAEC");
  CHECK(c1.transfer_encoding == "base64");
  CHECK(c1.content_type.mime_type() == "application/pkcs7-signature");
}

TEST_CASE("parse_bare_lf_and_missing_close_delimiter", "[mime][parser]") {
  std::string raw =
      "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: "
      "text/plain\n\none\n--x\n\ntwo\n";
  auto r = parse(raw);
  REQUIRE(r.ok());
  CHECK(r->line_endings == LineEndings::Lf);
  const Part& root = r->root;
  CHECK_FALSE(root.closed);
  REQUIRE(root.children.size() == 2);
  CHECK(root.preamble.empty());
  CHECK(root.delimiters[0].slice(raw) == "--x\n");
  CHECK(root.delimiters[1].slice(raw) == "\n--x\n");
  CHECK(root.children[0].body.slice(raw) == "one");
  CHECK(root.children[1].headers.empty());
  CHECK(root.children[1].body.slice(raw) == "two\n");
  CHECK(root.children[1].content_type.mime_type() == "text/plain");  // RFC 2045 default
}

TEST_CASE("parse_boundary_prefix_is_not_a_delimiter", "[mime][parser]") {
  std::string raw =
      "Content-Type: multipart/mixed; boundary=\"ab\"\r\n\r\n--ab\r\n"
      "Content-Type: multipart/alternative; boundary=\"abc\"\r\n\r\n--abc\r\n\r\nx\r\n--abc--\r\n"
      "--ab--\r\n";
  auto r = parse(raw);
  REQUIRE(r.ok());
  REQUIRE(r->root.children.size() == 1);
  const Part& inner = r->root.children[0];
  CHECK(inner.boundary == "abc");
  REQUIRE(inner.children.size() == 1);
  CHECK(inner.children[0].body.slice(raw) == "x");
  CHECK(inner.closed);
  CHECK(r->part_count == 3);
}

TEST_CASE("parse_junk_header_line_starts_body", "[mime][parser]") {
  std::string raw = "Subject: x\r\nthis is not a header\r\nmore\r\n";
  auto r = parse(raw);
  REQUIRE(r.ok());
  CHECK(r->root.headers.size() == 1);
  CHECK(r->root.body.slice(raw) == "this is not a header\r\nmore\r\n");
}

TEST_CASE("parse_headers_only_message_has_empty_body", "[mime][parser]") {
  std::string raw = "Subject: x\r\n";
  auto r = parse(raw);
  REQUIRE(r.ok());
  CHECK(r->root.header.slice(raw) == raw);
  CHECK(r->root.body.empty());
}

TEST_CASE("parse_message_rfc822_child", "[mime][parser]") {
  std::string raw =
      "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: "
      "text/html\r\n\r\n<p>x</p>";
  auto r = parse(raw);
  REQUIRE(r.ok());
  REQUIRE(r->root.children.size() == 1);
  CHECK(r->root.children[0].content_type.mime_type() == "text/html");
  CHECK(r->root.children[0].body.slice(raw) == "<p>x</p>");
}
