// Leaf/multipart builders and HeaderBlock: canonical CRLF, 7-bit safe, injection-safe.
#include "smimegw/mime/entity_builder.hpp"

#include <catch2/catch.hpp>

#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

using namespace smimegw::mime;

namespace {

std::size_t longest_line(std::string_view s) {
  std::size_t longest = 0, col = 0;
  for (char c : s) {
    if (c == '\n') {
      longest = std::max(longest, col);
      col = 0;
    } else if (c != '\r') {
      ++col;
    }
  }
  return std::max(longest, col);
}

void check_leaf_round_trip(const ContentType& ct, const std::string& data, const std::string& cte,
                           const std::string& expect_decoded) {
  auto e = build_leaf(ct, data);
  REQUIRE(e.ok());
  CHECK(is_ascii(*e));
  CHECK(canonical_crlf(*e) == *e);
  CHECK(longest_line(*e) <= 76);
  auto m = parse(*e);
  REQUIRE(m.ok());
  CHECK(m->root.transfer_encoding == cte);
  CHECK(m->root.content_type.mime_type() == ct.mime_type());
  CHECK(decode_transfer(m->bytes(m->root.body), m->root.transfer_encoding, true).value() ==
        expect_decoded);
}

}  // namespace

TEST_CASE("leaf_builder_chooses_a_7bit_safe_encoding", "[mime][builder]") {
  ContentType text{"text", "plain", {}};
  text.params.set("charset", "utf-8");
  check_leaf_round_trip(text, "plain ascii\nsecond\n", "7bit", "plain ascii\r\nsecond\r\n");
  check_leaf_round_trip(text,
                        "Gr\xc3\xbc\xc3\x9f"
                        "e\r\n",
                        "quoted-printable",
                        "Gr\xc3\xbc\xc3\x9f"
                        "e\r\n");
  std::string long_line(2000, 'x');
  check_leaf_round_trip(text, long_line, "quoted-printable", long_line);
  std::string bin("\x00\x01\xff\r\x0a", 5);
  check_leaf_round_trip(text, bin, "base64", bin);
  check_leaf_round_trip(ContentType{"application", "pdf", {}}, "%PDF-1.4", "base64", "%PDF-1.4");
  CHECK(choose_transfer_encoding(text, std::string(998, 'a')) == "7bit");
  CHECK(choose_transfer_encoding(text, std::string(999, 'a')) == "quoted-printable");
}

TEST_CASE("header_block_rejects_injection_and_bad_names", "[mime][builder]") {
  HeaderBlock h;
  CHECK(h.add("Subject", "ok").ok());
  CHECK(h.add("Subject", "x\r\nBcc: evil@example.com").error().code == errc::kHeaderInjection);
  CHECK(h.add("Subject", "x\nBcc: e").error().code == errc::kHeaderInjection);
  CHECK(h.add("Subject", std::string("x\0y", 3)).error().code == errc::kHeaderInjection);
  CHECK(h.set("X-A", "a\rb").error().code == errc::kHeaderInjection);
  CHECK(h.add("Bad Name", "v").error().code == errc::kBadHeaderName);
  CHECK(h.add("Bad:Name", "v").error().code == errc::kBadHeaderName);
  CHECK(h.add("", "v").error().code == errc::kBadHeaderName);
  CHECK(h.fields().size() == 1);
  CHECK(check_header_value("fine value").ok());
}

TEST_CASE("header_block_add_set_remove_and_fold", "[mime][builder]") {
  HeaderBlock h;
  REQUIRE(h.add("To", "a@example.com").ok());
  REQUIRE(h.add("X-Tag", "1").ok());
  REQUIRE(h.add("x-tag", "2").ok());
  REQUIRE(h.add("Subject", "\xc3\x84nderung " + std::string(80, 'z')).ok());
  REQUIRE(h.set("X-Tag", "3").ok());
  CHECK(h.fields().size() == 3);
  CHECK(h.fields()[1].value == "3");
  std::string words;
  for (int i = 0; i < 40; ++i) words += "word" + std::to_string(i) + " ";
  REQUIRE(h.add("Comments", words).ok());
  CHECK(h.remove("to") == 1);
  CHECK(h.remove("to") == 0);
  std::string s = h.str();
  CHECK(is_ascii(s));
  CHECK(canonical_crlf(s) == s);
  CHECK(longest_line(s) <= 78);
  std::string whole = s + "\r\n";
  auto m = parse(whole);
  REQUIRE(m.ok());
  CHECK(decode_header_text(m->header("Subject")) == "\xc3\x84nderung " + std::string(80, 'z'));
  CHECK(m->header("Comments") + " " == words);
  CHECK(m->header("X-Tag") == "3");
}

TEST_CASE("multipart_builder_boundary_avoids_content", "[mime][builder]") {
  auto a = build_leaf(ContentType{"text", "plain", {}}, "--=_smimegw_ inside\n");
  REQUIRE(a.ok());
  std::string b = "Content-Type: text/html\r\n\r\n<p>x</p>\r\n";
  std::string mp = build_multipart("alternative", {*a, b});
  auto m = parse(mp);
  REQUIRE(m.ok());
  CHECK(m->root.content_type.is("multipart", "alternative"));
  REQUIRE(m->root.children.size() == 2);
  CHECK(m->bytes(m->root.children[0].entity) == *a);
  CHECK(m->bytes(m->root.children[1].entity) == b);
  CHECK(m->root.closed);
  CHECK(a->find(m->root.boundary) == std::string::npos);
  CHECK(make_boundary({}) != make_boundary({}));
}

TEST_CASE("parser_records_defects_and_strict_mode_rejects_them", "[mime][parser]") {
  std::string raw = "Content-Type: multipart/mixed\r\n\r\nno boundary\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  REQUIRE(m->defects.size() == 1);
  CHECK(m->defects[0].what == "missing_boundary");
  Limits strict;
  strict.reject_malformed = true;
  CHECK(parse(raw, strict).error().code == errc::kMalformedMime);
  std::string open = "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nx\r\n";
  CHECK(parse(open)->defects.at(0).what == "missing_close_delimiter");
  CHECK(parse(open, strict).error().code == errc::kMalformedMime);
  CHECK(parse("Subject: x\r\njunk line\r\n")->defects.at(0).what == "junk_in_header");
  std::string good = "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\nx\r\n--q--\r\n";
  CHECK(parse(good, strict).ok());
}
