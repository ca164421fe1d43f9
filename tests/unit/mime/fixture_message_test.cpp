// An Outlook-style ISO-8859-1 message (tests/fixtures/mime/): headers, addresses, RFC 2231 names,
// decoded text, marking through mixed/related/alternative, and wrap_outer's header merge.
#include <catch2/catch.hpp>

#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/marking.hpp"
#include "smimegw/mime/outer_split.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"
#include "test_env.hpp"

using namespace smimegw::mime;

namespace {
std::string fixture() {
  return smimegw::test::read_file(smimegw::test::source_dir() /
                                  "tests/fixtures/mime/outlook_latin1_related.eml");
}
}  // namespace

TEST_CASE("fixture_headers_addresses_and_parameters_decode", "[mime][fixture]") {
  std::string raw = fixture();
  auto m = parse(raw);
  REQUIRE(m.ok());
  CHECK(m->line_endings == LineEndings::Lf);
  CHECK(m->defects.empty());
  CHECK(decode_header_text(m->header("Subject")) ==
        "Gr\xc3\xbc\xc3\x9f"
        "e aus K\xc3\xb6ln");
  auto from = parse_address_list(m->header("From"));
  REQUIRE(from.size() == 1);
  CHECK(from[0].display_name == "J\xc3\xb6rg M\xc3\xbcller");
  CHECK(from[0].address == "joerg@example.de");
  auto to = parse_address_list(m->header("To"));
  REQUIRE(to.size() == 2);
  CHECK(to[0].display_name == "Doe, John");
  CHECK(to[1].address == "anna@example.org");
  CHECK(format_mailbox(from[0]) == "=?utf-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.de>");
  CHECK(format_mailbox(to[0]) == "\"Doe, John\" <john@example.com>");
  CHECK(parse_address_list(format_mailbox(from[0]))[0].display_name == from[0].display_name);

  const Part* pdf = find_part(m->root, "application", "pdf");
  REQUIRE(pdf);
  CHECK(pdf->content_type.params.get("name") == "Bericht f\xc3\xbcr K\xc3\xb6ln.pdf");
  CHECK(pdf->disposition->filename() == "Bericht f\xc3\xbcr K\xc3\xb6ln.pdf");
  CHECK(decode_body(*m, *pdf, true).value().starts_with("%PDF-1.4"));
  const Part* plain = find_part(m->root, "text", "plain");
  REQUIRE(plain);
  CHECK(decode_text(*m, *plain).value() ==
        "Hallo zusammen,\nanbei der Bericht f\xc3\xbcr K\xc3\xb6ln.\n\nGr\xc3\xbc\xc3\x9f"
        "e\nJ\xc3\xb6rg\n");
  CHECK(m->root.preamble.slice(raw) == "This is a multi-part message in MIME format.\n");
}

TEST_CASE("fixture_marking_reaches_nested_alternative_and_keeps_latin1",
          "[mime][fixture][marking]") {
  std::string raw = fixture();
  auto m = parse(raw);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"Vertraulich f\xc3\xbcr K\xc3\xb6ln", "Ende"});
  REQUIRE(r.ok());
  CHECK(r->parts_marked == 2);
  CHECK(r->notes.empty());
  auto out = parse(r->message);
  REQUIRE(out.ok());
  const Part* plain = find_part(out->root, "text", "plain");
  const Part* html = find_part(out->root, "text", "html");
  REQUIRE(plain);
  REQUIRE(html);
  CHECK(plain->charset() == "iso-8859-1");
  CHECK(plain->transfer_encoding == "quoted-printable");
  CHECK(decode_text(*out, *plain)
            .value()
            .starts_with("Vertraulich f\xc3\xbcr K\xc3\xb6ln\r\n\r\nHallo zusammen,\r\n"));
  CHECK(decode_text(*out, *html)
            .value()
            .find("<body lang=DE><div class=\"smimegw-marking-header\">Vertraulich f\xc3\xbcr "
                  "K\xc3\xb6ln</div><p>") != std::string::npos);
  // The image and the PDF are unchanged (modulo CRLF canonicalisation).
  const Part* png = find_part(out->root, "image", "png");
  const Part* png0 = find_part(m->root, "image", "png");
  CHECK(out->bytes(png->entity) == canonical_crlf(m->bytes(png0->entity)));
}

TEST_CASE("wrap_outer_lets_the_entity_override_outer_fields", "[mime][builder]") {
  HeaderBlock outer;
  REQUIRE(outer.add("From", "a@example.com").ok());
  REQUIRE(outer.add("Subject", "...").ok());
  REQUIRE(outer.add("MIME-Version", "1.0").ok());
  std::string entity = "Subject: real subject\r\nContent-Type: text/plain\r\n\r\nbody\r\n";
  std::string msg = wrap_outer(outer, entity);
  CHECK(msg ==
        "From: a@example.com\r\nMIME-Version: 1.0\r\nSubject: real subject\r\nContent-Type: "
        "text/plain\r\n\r\nbody\r\n");
  CHECK(wrap_outer(outer, "\r\nno headers\r\n\r\nx") ==
        "From: a@example.com\r\nSubject: ...\r\nMIME-Version: 1.0\r\n\r\nno headers\r\n\r\nx");
}
