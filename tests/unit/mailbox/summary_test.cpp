// Message summaries, bodies and attachments from real-world MIME (the Thunderbird corpus) and from
// our own messages with RFC 2047 words, RFC 2231 file names, alternatives and inline parts.
#include "mailbox_fixture.hpp"
#include "smimegw/mailbox/date.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/transfer_encoding.hpp"

using namespace mbtest;

namespace {
std::string corpus(const std::string& rel) {
  return test::read_file(test::shared_dir() / "corpus/thunderbird-comm-central" / rel);
}

mailbox::Summary summary_of(const std::string& raw) {
  auto msg = mime::parse(std::string_view(raw));
  REQUIRE(msg.ok());
  return mailbox::summarize(*msg);
}

// 3 bytes of a PDF-ish payload repeated, base64 in 76-column lines
const std::string kPdf = std::string("%PDF-1.4\n") + std::string(3000, 'x') + "\n%%EOF\n";

std::string rich_message() {
  const std::string pdf_b64 = mime::encode_base64(kPdf);
  return "From: =?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <joerg@example.de>\r\n"
         "To: Alice <alice@contoso.test>, \"Doe, John\" <john@contoso.test>\r\n"
         "Cc: =?iso-8859-1?Q?Fran=E7ois?= <francois@example.fr>\r\n"
         "Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?Q?_aus_M=C3=BCnchen?= und mehr\r\n"
         "Date: 23 Nov 26 07:15 +0100\r\n"
         "Message-ID: <rich-1@example.de>\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
         "--outer\r\n"
         "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
         "--rel\r\n"
         "Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
         "--alt\r\n"
         "Content-Type: text/plain; charset=iso-8859-1\r\n"
         "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
         "Gr=FC=DFe,\r\n\r\n   das ist   der Text.\r\n"
         "--alt\r\n"
         "Content-Type: text/html; charset=utf-8\r\n\r\n"
         "<html><head><style>p{}</style></head><body><p>Gr\xc3\xbc\xc3\x9f"
         "e &amp; mehr</p>"
         "<img src=\"cid:logo@x\"></body></html>\r\n"
         "--alt--\r\n"
         "--rel\r\n"
         "Content-Type: image/png\r\n"
         "Content-ID: <logo@x>\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n"
         "iVBORw0KGgo=\r\n"
         "--rel--\r\n"
         "--outer\r\n"
         "Content-Type: application/pdf\r\n"
         "Content-Transfer-Encoding: base64\r\n"
         "Content-Disposition: attachment; filename*=UTF-8''Bericht%20%C3%BCber.pdf\r\n\r\n" +
         pdf_b64 + "--outer--\r\n";
}
}  // namespace

TEST_CASE("summary of a clear-signed corpus message: the signature is no attachment") {
  auto s = summary_of(corpus("smime/alice.dsig.SHA256.multipart.eml"));
  CHECK(s.subject == "clear-signed sig.SHA256");
  REQUIRE(s.from);
  CHECK(s.from->address == "Alice@example.com");
  REQUIRE(s.to.size() == 1);
  CHECK(s.to[0].address == "Bob@example.com");
  CHECK(s.cc.empty());
  CHECK(s.sent_at == 1769438283);  // Mon, 26 Jan 2026 14:38:03 +0000
  CHECK_FALSE(s.has_attachments);
  CHECK(s.body_preview == "This is a test message from Alice to Bob.");
}

TEST_CASE("summary of an encrypted corpus message: smime.p7m is the attachment, no preview") {
  const auto raw = corpus("smime/alice.env.eml");
  auto msg = mime::parse(std::string_view(raw));
  REQUIRE(msg.ok());
  auto s = mailbox::summarize(*msg);
  CHECK(s.subject == "enveloped");
  CHECK(s.has_attachments);
  CHECK(s.body_preview.empty());
  auto atts = mailbox::list_attachments(*msg);
  REQUIRE(atts.size() == 1);
  CHECK(atts[0].name == "smime.p7m");
  CHECK(atts[0].content_type == "application/pkcs7-mime");
  auto content = mailbox::attachment_content(*msg, atts[0].id);
  REQUIRE(content.ok());
  CHECK(static_cast<unsigned char>(content->bytes[0]) == 0x30);  // DER SEQUENCE
  CHECK(content->info.size == atts[0].size);  // the estimate from base64 is exact
  CHECK(mailbox::extract_body(*msg).content.empty());
}

TEST_CASE("a list header part before a signed part: body is the first text, no attachments") {
  auto s =
      summary_of(corpus("browser-smime-data/alice.dsig.SHA256.multipart.in.mixed.with.header.eml"));
  CHECK(s.subject == "[test-list] clear-signed sig.SHA256 wrapped in multipart/mixed");
  CHECK_FALSE(s.has_attachments);
  CHECK(s.body_preview == "Welcome to the test-list mailing list.");
}

TEST_CASE("every corpus message gets a summary with a subject and a sender") {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           test::shared_dir() / "corpus/thunderbird-comm-central")) {
    if (e.path().extension() != ".eml") continue;
    const auto raw = test::read_file(e.path());
    auto msg = mime::parse(std::string_view(raw));
    REQUIRE(msg.ok());
    auto s = mailbox::summarize(*msg);
    INFO(e.path());
    CHECK_FALSE(s.subject.empty());
    CHECK(s.from);
    CHECK(s.sent_at);
    CHECK(s.body_preview.size() <= 255 * 4);
    mailbox::extract_body(*msg);
    for (const auto& a : mailbox::list_attachments(*msg))
      CHECK(mailbox::attachment_content(*msg, a.id).ok());
    ++n;
  }
  CHECK(n >= 80);
}

TEST_CASE("encoded words, address lists, obsolete dates, alternatives and attachments") {
  const auto raw = rich_message();
  auto msg = mime::parse(std::string_view(raw));
  REQUIRE(msg.ok());
  auto s = mailbox::summarize(*msg);
  CHECK(s.subject == "Grüße aus München und mehr");
  REQUIRE(s.from);
  CHECK(s.from->name == "Jörg Müller");
  CHECK(s.from->address == "joerg@example.de");
  REQUIRE(s.to.size() == 2);
  CHECK(s.to[1] == mailbox::EmailAddress{"Doe, John", "john@contoso.test"});
  REQUIRE(s.cc.size() == 1);
  CHECK(s.cc[0].name == "François");
  CHECK(s.sent_at == 1795414500);  // 2026-11-23T06:15:00Z (two-digit year, no seconds)
  CHECK(s.internet_message_id == "<rich-1@example.de>");
  CHECK(s.has_attachments);
  CHECK(s.body_preview == "Grüße, das ist der Text.");

  auto html = mailbox::extract_body(*msg, mailbox::BodyPreference::Html);
  CHECK(html.content_type == "html");
  CHECK(html.content.find("Grüße &amp; mehr") != std::string::npos);
  auto text = mailbox::extract_body(*msg, mailbox::BodyPreference::Text);
  CHECK(text.content_type == "text");
  // the line break before a boundary delimiter belongs to the delimiter (RFC 2046 §5.1.1)
  CHECK(text.content == "Grüße,\r\n\r\n   das ist   der Text.");

  auto atts = mailbox::list_attachments(*msg);
  REQUIRE(atts.size() == 2);
  CHECK(atts[0].content_type == "image/png");
  CHECK(atts[0].is_inline);
  CHECK(atts[0].content_id == "logo@x");
  CHECK(atts[1].name == "Bericht über.pdf");
  CHECK(atts[1].content_type == "application/pdf");
  CHECK_FALSE(atts[1].is_inline);
  CHECK(atts[1].size == static_cast<std::int64_t>(kPdf.size()));
  CHECK(atts[0].id != atts[1].id);
  auto pdf = mailbox::attachment_content(*msg, atts[1].id);
  REQUIRE(pdf.ok());
  CHECK(pdf->bytes == kPdf);
  CHECK(mailbox::attachment_content(*msg, mailbox::attachment_id_string(2)).error().code ==
        "not_found");
  CHECK(mailbox::attachment_content(*msg, "junk").error().code == "not_found");

  auto headers = mailbox::internet_headers(*msg);
  REQUIRE(headers.size() == 8);
  CHECK(headers[5].name == "Message-ID");
}

TEST_CASE("html-only body previews as text, and long previews stop at 255 characters") {
  const std::string html =
      "Subject: h\r\nContent-Type: text/html; "
      "charset=utf-8\r\n\r\n<html><head><title>T</title></head>"
      "<body><script>var x = 1;</script><p>Hello&nbsp;<b>world</b> &#8364; "
      "&#x41;</p></body></html>\r\n";
  CHECK(summary_of(html).body_preview == "Hello world € A");
  std::string longer = "Subject: l\r\n\r\n";
  for (int i = 0; i < 100; ++i) longer += "ä bc ";
  const auto p = summary_of(longer).body_preview;
  // 255 code points: count them
  std::size_t cps = 0;
  for (unsigned char c : p) cps += (c & 0xc0) != 0x80;
  CHECK(cps == 255);
}

TEST_CASE("raw 8-bit and control characters in headers become valid UTF-8") {
  auto s = summary_of("Subject: caf\xe9 \x01ok\r\nFrom: x@y\r\n\r\nbody\r\n");
  CHECK(s.subject == "caf\xef\xbf\xbd ok");
}

TEST_CASE("RFC 5322 dates: standard, obsolete and invalid forms") {
  using mailbox::parse_rfc5322_date;
  CHECK(parse_rfc5322_date("Thu, 13 Feb 1969 23:32:54 -0330") == -27723426);  // RFC 5322 A.1.3
  CHECK(parse_rfc5322_date("Fri, 21 Nov 1997 09:55:06 -0600") == 880127706);
  CHECK(parse_rfc5322_date("21 Nov 97 09:55:06 GMT") == 880106106);
  CHECK(parse_rfc5322_date("Fri, 21 Nov 1997 09:55:06 -0600 (Central)") == 880127706);
  CHECK(parse_rfc5322_date("Fri, 21 Nov 1997 10:55 EST") == 880127700);
  CHECK_FALSE(parse_rfc5322_date("yesterday"));
  CHECK_FALSE(parse_rfc5322_date("32 Nov 1997 10:00 +0000"));
  CHECK_FALSE(parse_rfc5322_date("21 Foo 1997 10:00 +0000"));
  CHECK_FALSE(parse_rfc5322_date(std::string(300, '1')));
}

TEST_CASE("summaries through the store: delta reads only the head of a large message") {
  Fixture fx;
  std::string big = simple_message("big");
  big.insert(big.find("\r\n\r\n"), "\r\nContent-Type: text/plain; charset=utf-8");
  for (int i = 0; i < 20000; ++i) big += "line " + std::to_string(i) + " ü\r\n";
  REQUIRE(big.size() > static_cast<std::size_t>(fx.options.head_bytes) * 2);
  const auto id = mailbox::message_id_string(fx.deliver("alice@contoso.test", big));
  fx.deliver("alice@contoso.test", rich_message());
  auto page = fx.delta("alice@contoso.test", std::nullopt, 10);
  REQUIRE(page.changes.size() == 2);
  const auto& s = page.changes[0].summary;
  CHECK(s.id == id);
  CHECK(s.subject == "big");
  CHECK(s.size_bytes == static_cast<std::int64_t>(big.size()));
  CHECK(s.body_preview.rfind("Hello big line 0 ü line 1 ü", 0) == 0);
  CHECK(s.received_at > 0);
  CHECK(page.changes[1].summary.subject == "Grüße aus München und mehr");
  CHECK(page.changes[1].summary.has_attachments);

  auto view = run(fx.service.get("alice@contoso.test", page.changes[1].summary.id,
                                 mailbox::BodyPreference::Html));
  REQUIRE(view.ok());
  CHECK(view->summary.subject == "Grüße aus München und mehr");
  CHECK(view->body.content_type == "html");
  CHECK_FALSE(view->smime);
  CHECK_FALSE(view->label);
  auto raw = run(fx.service.raw("alice@contoso.test", page.changes[1].summary.id));
  REQUIRE(raw.ok());
  CHECK(*raw == rich_message());
  auto atts = run(fx.service.attachments("alice@contoso.test", page.changes[1].summary.id));
  REQUIRE(atts.ok());
  REQUIRE(atts->size() == 2);
  auto one =
      run(fx.service.attachment("alice@contoso.test", page.changes[1].summary.id, (*atts)[1].id));
  REQUIRE(one.ok());
  CHECK(one->bytes == kPdf);
  auto hdrs = run(fx.service.headers("alice@contoso.test", page.changes[1].summary.id));
  REQUIRE(hdrs.ok());
  CHECK(hdrs->size() == 8);
}
