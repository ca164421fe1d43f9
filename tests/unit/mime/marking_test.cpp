// Marking: header/footer inserted once into every inline text part, in the part's charset and
// transfer encoding; everything else unchanged; signed content refused.
#include "smimegw/mime/marking.hpp"

#include <catch2/catch.hpp>

#include "mime_test_util.hpp"
#include "smimegw/mime/canonical.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/error_codes.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "test_env.hpp"

using namespace smimegw::mime;

namespace {

std::string text_of(const Message& m, const Part& p) {
  auto d = decode_transfer(m.bytes(p.body), p.transfer_encoding, true);
  REQUIRE(d.ok());
  auto u = to_utf8(*d, p.charset());
  REQUIRE(u.ok());
  return *u;
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1))
    ++n;
  return n;
}

const std::string kHtml =
    "<html><head><title>t</title></head><BODY class=\"x\">\r\n<p>Hallo</p>\r\n</BODY></html>\r\n";
const std::string kPlainText =
    "Hallo Welt, Gr\xc3\xbc\xc3\x9f"
    "e\r\nzweite Zeile\r\n";

std::string alternative_message() {
  return "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
         "--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
         "--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
         "quoted-printable\r\n\r\n" +
         encode_quoted_printable(kPlainText) +
         "\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: "
         "base64\r\n\r\n" +
         encode_base64(kHtml) +
         "--alt--\r\n"
         "\r\n--outer\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; "
         "filename=a.txt\r\n\r\n"
         "attached text\r\n--outer--\r\n";
}

}  // namespace

TEST_CASE("marking_qp_and_base64_parts_in_alternative", "[mime][marking]") {
  std::string raw = alternative_message();
  auto m = parse(raw);
  REQUIRE(m.ok());
  Marking mk{"VERTRAULICH \xe2\x80\x93 Intern", "Klassifiziert: <Intern> & \"vertraulich\""};
  auto r = mark(*m, mk);
  REQUIRE(r.ok());
  CHECK(r->parts_marked == 2);
  CHECK(canonical_crlf(r->message) == r->message);
  auto out = parse(r->message);
  REQUIRE(out.ok());
  const Part& alt = out->root.children.at(0);
  const Part& plain = alt.children.at(0);
  const Part& html = alt.children.at(1);
  CHECK(plain.transfer_encoding == "quoted-printable");
  CHECK(html.transfer_encoding == "base64");
  CHECK(plain.charset() == "utf-8");
  std::string pt = text_of(*out, plain);
  CHECK(pt == "VERTRAULICH \xe2\x80\x93 Intern\r\n\r\n" + kPlainText + "\r\n" + mk.footer + "\r\n");
  std::string ht = text_of(*out, html);
  CHECK(count(ht, "VERTRAULICH \xe2\x80\x93 Intern") == 1);
  CHECK(count(ht, "Klassifiziert: &lt;Intern&gt; &amp; &quot;vertraulich&quot;") == 1);
  CHECK(ht.find("<BODY class=\"x\"><div class=\"smimegw-marking-header\">VERTRAULICH") !=
        std::string::npos);
  CHECK(ht.find("vertraulich&quot;</div></BODY></html>") != std::string::npos);
  std::string rest = ht;
  rest.erase(
      rest.find("<div class=\"smimegw-marking-header\">"),
      std::string("<div class=\"smimegw-marking-header\">VERTRAULICH \xe2\x80\x93 Intern</div>")
          .size());
  rest.erase(rest.find("<div class=\"smimegw-marking-footer\">"));
  CHECK(rest + "</BODY></html>\r\n" == kHtml);
  // The attachment and the outer headers are untouched.
  const Part& att = out->root.children.at(1);
  CHECK(out->bytes(att.entity) == m->bytes(m->root.children.at(1).entity));
  CHECK(out->bytes(out->root.header) == m->bytes(m->root.header));
}

TEST_CASE("marking_latin1_part_keeps_charset_when_representable", "[mime][marking]") {
  std::string raw =
      "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: "
      "8bit\r\n\r\nGr\xfc\xdf"
      "e\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"Vertraulich \xc3\xa4", ""});
  REQUIRE(r.ok());
  CHECK(r->notes.empty());
  CHECK(r->message ==
        "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Vertraulich \xe4\r\n\r\nGr\xfc\xdf"
        "e\r\n");
}

TEST_CASE("marking_latin1_part_switches_to_utf8_when_needed", "[mime][marking]") {
  std::string raw =
      "Content-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: "
      "quoted-printable\r\n\r\nGr=FC=DFe\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"", "Preis in \xe2\x82\xac"});
  REQUIRE(r.ok());
  REQUIRE(r->notes.size() == 1);
  CHECK(r->notes[0].find("UTF-8") != std::string::npos);
  auto out = parse(r->message);
  REQUIRE(out.ok());
  CHECK(out->root.charset() == "utf-8");
  CHECK(out->root.transfer_encoding == "quoted-printable");
  CHECK(text_of(*out, out->root) ==
        "Gr\xc3\xbc\xc3\x9f"
        "e\r\n\r\nPreis in \xe2\x82\xac\r\n");
}

TEST_CASE("marking_html_without_body_tag_and_7bit_switch", "[mime][marking]") {
  std::string raw = "Content-Type: text/html\n\n<p>x</p>\n";  // bare LF, 7bit default, us-ascii
  auto m = parse(raw);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"A<B", "\xc3\xa4nde"});
  REQUIRE(r.ok());
  auto out = parse(r->message);
  REQUIRE(out.ok());
  CHECK(out->root.transfer_encoding == "quoted-printable");
  CHECK(out->root.charset() == "utf-8");
  CHECK(text_of(*out, out->root) ==
        "<div class=\"smimegw-marking-header\">A&lt;B</div><p>x</p>\r\n"
        "<div class=\"smimegw-marking-footer\">\xc3\xa4nde</div>");
  CHECK(r->notes.size() == 2);
}

TEST_CASE("marking_refuses_signed_and_encrypted_messages", "[mime][marking]") {
  std::string s =
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: "
      "application/pkcs7-signature\r\n\r\nAA==\r\n--b--\r\n";
  auto m = parse(s);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"h", "f"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == errc::kSignedContent);
  std::string e = "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\nAA==\r\n";
  auto m2 = parse(e);
  REQUIRE(m2.ok());
  CHECK(mark(*m2, Marking{"h", ""}).error().code == errc::kSignedContent);
}

TEST_CASE("marking_skips_attachments_and_keeps_them_byte_exact", "[mime][marking]") {
  std::string raw =
      "Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: text/plain\r\n"
      "Content-Disposition: attachment\r\n\r\nkeep me\r\n--q\r\nContent-Type: image/png\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--q--\r\n";
  auto m = parse(raw);
  REQUIRE(m.ok());
  auto r = mark(*m, Marking{"h", "f"});
  REQUIRE(r.ok());
  CHECK(r->parts_marked == 0);
  CHECK(r->message == raw);
}

TEST_CASE("marking_skips_nested_signed_part_and_marks_the_rest", "[mime][marking]") {
  std::string raw = smimegw::test::read_file(smimegw::test::shared_dir() /
                                             "corpus/thunderbird-comm-central/browser-smime-data/"
                                             "alice.dsig.SHA256.multipart.in.mixed.eml");
  auto m = parse(raw);
  REQUIRE(m.ok());
  const Part* sig = find_part(m->root, "multipart", "signed");
  REQUIRE(sig);
  REQUIRE(sig->depth > 0);
  auto r = mark(*m, Marking{"HEADER-MARK", "FOOTER-MARK"});
  REQUIRE(r.ok());
  auto out = parse(r->message);
  REQUIRE(out.ok());
  const Part* sig2 = find_part(out->root, "multipart", "signed");
  REQUIRE(sig2);
  CHECK(out->bytes(sig2->entity) == canonical_crlf(m->bytes(sig->entity)));  // untouched
  CHECK(out->bytes(sig2->entity).find("HEADER-MARK") == std::string::npos);
  CHECK(r->parts_marked == 1);  // the list footer part
  CHECK(count(r->message, "HEADER-MARK") == 1);
  bool noted = false;
  for (const auto& n : r->notes) noted = noted || n.find("multipart/signed") != std::string::npos;
  CHECK(noted);
}
