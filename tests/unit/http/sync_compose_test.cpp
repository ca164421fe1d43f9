// http/sync: sendMail's JSON message → MIME (src/http/sync/compose.cpp) and the Prefer parser.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "../../../src/http/sync/compose.hpp"
#include "../../../src/http/sync/handlers.hpp"

using namespace smimegw::http::sync;

namespace {
boost::json::object obj(const char* text) {
  return boost::json::parse(text).as_object();
}
}  // namespace

TEST_CASE("compose builds a text message with recipients, Bcc only in the envelope") {
  auto c = compose(obj(R"({"subject":"Hello","body":{"contentType":"Text","content":"hi"},
      "toRecipients":[{"emailAddress":{"address":"bob@contoso.test","name":"Bob B"}}],
      "ccRecipients":[{"emailAddress":{"address":"carol@contoso.test"}}],
      "bccRecipients":[{"emailAddress":{"address":"dave@example.org"}}]})"),
                   "alice@contoso.test", 1700000000, "abc123");
  REQUIRE(c);
  CHECK(c->rcpts ==
        std::vector<std::string>{"bob@contoso.test", "carol@contoso.test", "dave@example.org"});
  CHECK(c->mime.find("From: alice@contoso.test\r\n") != std::string::npos);
  CHECK(c->mime.find("To: \"Bob B\" <bob@contoso.test>\r\n") != std::string::npos);
  CHECK(c->mime.find("Cc: carol@contoso.test\r\n") != std::string::npos);
  CHECK(c->mime.find("dave@example.org") == std::string::npos);
  CHECK(c->mime.find("Subject: Hello\r\n") != std::string::npos);
  CHECK(c->mime.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n") != std::string::npos);
  CHECK(c->mime.find("Message-ID: <abc123@contoso.test>\r\n") != std::string::npos);
  CHECK(c->mime.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  CHECK(c->mime.find("\r\n\r\naGk=\r\n") != std::string::npos);  // base64 "hi"
}

TEST_CASE("compose encodes non-ASCII subjects and adds attachments as multipart/mixed") {
  auto c = compose(obj(R"({"subject":"Grüße","body":{"contentType":"html","content":"<b>x</b>"},
      "toRecipients":[{"emailAddress":{"address":"bob@contoso.test"}}],
      "attachments":[{"@odata.type":"#microsoft.graph.fileAttachment","name":"a.txt",
                      "contentType":"text/plain","contentBytes":"aGVsbG8="}]})"),
                   "alice@contoso.test", 0, "u1");
  REQUIRE(c);
  CHECK(c->mime.find("Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\n") != std::string::npos);
  CHECK(c->mime.find("multipart/mixed; boundary=\"=_smimegw_u1\"") != std::string::npos);
  CHECK(c->mime.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(c->mime.find("Content-Disposition: attachment; filename=\"a.txt\"") != std::string::npos);
  CHECK(c->mime.find("aGVsbG8=\r\n") != std::string::npos);
  CHECK(c->mime.find("--=_smimegw_u1--\r\n") != std::string::npos);
}

TEST_CASE("compose refuses bad input and names the field") {
  auto check = [](const char* json, const std::string& field) {
    auto c = compose(obj(json), "alice@contoso.test", 0, "u");
    REQUIRE_FALSE(c);
    CHECK(c.error().code == "validation_failed");
    CHECK(c.error().message.rfind(field, 0) == 0);
  };
  check(R"({"subject":"x"})", "message.toRecipients");
  check(R"({"toRecipients":[{"emailAddress":{"address":"not-an-address"}}]})",
        "message.toRecipients[0].emailAddress.address");
  check(R"({"toRecipients":[{"emailAddress":{"address":"a@b.test"}}],"subject":"a\r\nBcc: x"})",
        "message.subject");
  check(R"({"toRecipients":[{"emailAddress":{"address":"a@b.test"}}],
            "attachments":[{"name":"a","contentBytes":"***"}]})",
        "message.attachments[0].contentBytes");
  check(R"({"toRecipients":[{"emailAddress":{"address":"a@b.test"}}],
            "internetMessageHeaders":[{"name":"Subject","value":"x"}]})",
        "message.internetMessageHeaders[0].name");
  check(R"({"toRecipients":[{"emailAddress":{"address":"a@b.test"}}],
            "body":{"contentType":"rtf","content":"x"}})",
        "message.body.contentType");
}

TEST_CASE("Prefer: odata.maxpagesize is read, malformed values ignored") {
  CHECK(max_page_size("odata.maxpagesize=50") == 50);
  CHECK(max_page_size("outlook.body-content-type=\"text\", odata.maxpagesize=7") == 7);
  CHECK_FALSE(max_page_size("odata.maxpagesize=abc"));
  CHECK_FALSE(max_page_size("odata.maxpagesize=0"));
  CHECK_FALSE(max_page_size(""));
}

TEST_CASE("compose adds forward/reply extras: header fields and the original as message/rfc822") {
  ComposeExtras extras;
  extras.headers =
      "In-Reply-To: <m1@example.org>\r\nReferences: <m0@example.org> <m1@example.org>\r\n";
  extras.rfc822 = "From: x@example.org\r\nSubject: Plans\r\n\r\nthe original\r\n";
  auto c = compose(obj(R"({"subject":"FW: Plans","body":{"contentType":"text","content":"fyi"},
      "toRecipients":[{"emailAddress":{"address":"bob@contoso.test"}}]})"),
                   "alice@contoso.test", 1700000000, "fw1", extras);
  REQUIRE(c);
  auto head = c->mime.substr(0, c->mime.find("\r\n\r\n"));
  CHECK(head.find("In-Reply-To: <m1@example.org>\r\n") != std::string::npos);
  CHECK(head.find("References: <m0@example.org> <m1@example.org>") != std::string::npos);
  CHECK(head.find("Content-Type: multipart/mixed; boundary=\"=_smimegw_fw1\"") !=
        std::string::npos);
  CHECK(c->mime.find("Content-Type: message/rfc822\r\n") != std::string::npos);
  CHECK(c->mime.find("Content-Transfer-Encoding: 8bit\r\n\r\nFrom: x@example.org\r\nSubject: "
                     "Plans\r\n\r\nthe original\r\n--=_smimegw_fw1--\r\n") != std::string::npos);
  // without an original: a single text part, the fields still there
  ComposeExtras reply;
  reply.headers = "In-Reply-To: <m1@example.org>\r\n";
  auto r =
      compose(obj(R"({"subject":"RE: x","toRecipients":[{"emailAddress":{"address":"b@x.org"}}]})"),
              "alice@contoso.test", 1700000000, "re1", reply);
  REQUIRE(r);
  CHECK(r->mime.find("multipart") == std::string::npos);
  CHECK(r->mime.find("In-Reply-To: <m1@example.org>\r\nMIME-Version: 1.0\r\n") !=
        std::string::npos);
}
