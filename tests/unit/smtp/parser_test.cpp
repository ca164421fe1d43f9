// Command table, MAIL/RCPT parameters, the reply map and DATA decoding (plain code, no sockets).
#include <catch2/catch.hpp>

#include "smimegw/smtp/command.hpp"
#include "smimegw/smtp/data_decoder.hpp"
#include "smimegw/smtp/reply_map.hpp"

using namespace smimegw;
using namespace smimegw::smtp;

TEST_CASE("parse_command recognises verbs case-insensitively and keeps the argument") {
  auto c = parse_command("mail FROM:<a@b.example> SIZE=10");
  CHECK(c.verb == Verb::Mail);
  CHECK(c.arg == "FROM:<a@b.example> SIZE=10");
  CHECK(parse_command("StartTLS").verb == Verb::StartTls);
  CHECK(parse_command("QUITX").verb == Verb::Unknown);
  CHECK(parse_command("").verb == Verb::Unknown);
}

TEST_CASE("MAIL FROM parses SIZE, BODY, SMTPUTF8, RET and ENVID") {
  auto m = parse_mail_from("FROM:<a@b.example> SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=x+2By");
  REQUIRE(m.ok());
  CHECK(m->address == "a@b.example");
  CHECK(m->size == 1234);
  CHECK(m->body == core::BodyType::EightBitMime);
  CHECK(m->ret == core::DsnRet::Headers);
  CHECK(m->envid == "x+y");
  auto n = parse_mail_from("FROM:<>");
  REQUIRE(n.ok());
  CHECK(n->address.empty());
  auto u = parse_mail_from("FROM:<jörg@b.example> SMTPUTF8");
  REQUIRE(u.ok());
  CHECK(u->smtputf8);
}

TEST_CASE("MAIL FROM refuses bad syntax, unknown parameters and non-ASCII without SMTPUTF8") {
  CHECK(parse_mail_from("FROM:a@b").error().code == "syntax_error");
  CHECK(parse_mail_from("FROM:<a@b").error().code == "syntax_error");
  CHECK(parse_mail_from("TO:<a@b>").error().code == "syntax_error");
  CHECK(parse_mail_from("FROM:<a@b> SIZE=abc").error().code == "syntax_error");
  CHECK(parse_mail_from("FROM:<a@b> SIZE=1 SIZE=2").error().code == "syntax_error");
  CHECK(parse_mail_from("FROM:<a@b> FOO=1").error().code == "unknown_parameter");
  CHECK(parse_mail_from("FROM:<a@b> BODY=BINARYMIME").error().code == "unknown_parameter");
  CHECK(parse_mail_from("FROM:<jörg@b.example>").error().code == "non_ascii_address");
  CHECK(parse_mail_from("FROM:<a\r@b>").error().code == "syntax_error");
  CHECK(parse_mail_from("FROM:<" + std::string(300, 'a') + "@b>").error().code == "syntax_error");
}

TEST_CASE("RCPT TO parses NOTIFY and ORCPT and refuses the null path") {
  auto r =
      parse_rcpt_to("TO:<x@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;x+2Bz@y.example", false);
  REQUIRE(r.ok());
  CHECK(r->recipient.address == "x@y.example");
  CHECK(r->recipient.notify == 3);
  CHECK(r->recipient.orcpt == "rfc822;x+z@y.example");
  CHECK(parse_rcpt_to("TO:<>", false).error().code == "syntax_error");
  CHECK(parse_rcpt_to("TO:<x@y> NOTIFY=NEVER,DELAY", false).error().code == "syntax_error");
  CHECK(parse_rcpt_to("TO:<@relay.example:x@y.example>", false)->recipient.address ==
        "x@y.example");
}

TEST_CASE("xtext round-trips") {
  std::string s = "a+b=c d\x01";
  CHECK(*xtext_decode(xtext_encode(s)) == s);
  CHECK(!xtext_decode("+4").ok());
  CHECK(!xtext_decode("+zz").ok());
}

TEST_CASE("reply map gives each limit its basic and enhanced code") {
  auto check = [](const char* code, int basic, const char* enh) {
    auto r = reply_for(code);
    INFO(code);
    CHECK(r.code == basic);
    CHECK(r.enhanced == enh);
  };
  check("line_too_long", 500, "5.5.2");
  check("message_too_big", 552, "5.3.4");
  check("too_many_recipients", 452, "4.5.3");
  check("too_many_errors", 421, "4.7.0");
  check("too_many_connections", 421, "4.7.0");
  check("too_many_connections_from_address", 421, "4.7.0");
  check("command_timeout", 421, "4.4.2");
  check("unknown_command", 500, "5.5.1");
  check("syntax_error", 501, "5.5.4");
  check("bad_sequence", 503, "5.5.1");
  check("encryption_required", 538, "5.7.11");
  check("auth_failed", 535, "5.7.8");
  check("auth_required", 530, "5.7.0");
  check("unknown_user", 550, "5.1.1");
  check("relay_denied", 554, "5.7.1");
}

TEST_CASE("reply map: unknown codes follow temporary, and never show their message") {
  auto t = reply_for(core::Error::transient("db_down", "connection to 10.0.0.5 refused"));
  CHECK(t.code == 451);
  CHECK(t.enhanced == "4.3.0");
  CHECK(t.text.find("10.0.0.5") == std::string::npos);
  auto p = reply_for(core::Error::make("weird", "secret path /etc/x"));
  CHECK(p.code == 554);
  CHECK(p.text.find("/etc") == std::string::npos);
  auto u = reply_for(core::Error::make("unknown_user", "no such user\r\n250 fake"));
  CHECK(u.wire().find("\r\n250") == std::string::npos);
  CHECK(Reply{250, "", "a\nb"}.wire() == "250-a\r\n250 b\r\n");
}

namespace {
std::string decode(const std::string& wire, DataDecoder& d) {
  auto used = d.feed(wire);
  CHECK(d.done());
  (void)used;
  return d.message();
}
}  // namespace

TEST_CASE("DATA decoding: dot-unstuffing and the end marker") {
  DataDecoder d(1000, 1000);
  std::string wire = "Subject: x\r\n\r\n..leading dot\r\n.\r\nMAIL FROM:<a@b>\r\n";
  auto used = d.feed(wire);
  REQUIRE(d.done());
  CHECK(wire.substr(used) == "MAIL FROM:<a@b>\r\n");
  CHECK(d.message() == "Subject: x\r\n\r\n.leading dot\r\n");
}

TEST_CASE("DATA decoding: smuggling variants of the end marker do not end the message") {
  for (std::string fake : {"\n.\n", "\n.\r\n", "\r\n.\n", "\r.\r\n", "\r\n.\r"}) {
    DataDecoder d(10000, 1000);
    std::string wire = "a" + fake + "MAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\n.\r\n";
    auto used = d.feed(wire);
    INFO("variant " << fake.size());
    REQUIRE(d.done());
    CHECK(used == wire.size());
    CHECK(d.message().find("MAIL FROM:<evil@x>\r\n") != std::string::npos);
    CHECK(d.bare_newline());
    // Normalised: no bare LF or CR remains.
    for (std::size_t i = 0; i < d.message().size(); ++i) {
      if (d.message()[i] == '\n') CHECK((i > 0 && d.message()[i - 1] == '\r'));
      if (d.message()[i] == '\r') CHECK((i + 1 < d.message().size() && d.message()[i + 1] == '\n'));
    }
  }
}

TEST_CASE("DATA decoding works byte by byte") {
  std::string wire = "x\r\n..y\r\n\r\n.\r\n";
  DataDecoder d(1000, 1000);
  for (char c : wire) {
    REQUIRE(!d.done());
    d.feed(std::string(1, c));
  }
  CHECK(d.done());
  CHECK(d.message() == "x\r\n.y\r\n\r\n");
}

TEST_CASE("DATA decoding: size and line limits are flagged but reading goes on to the dot") {
  DataDecoder big(100, 1000);
  std::string wire = std::string(80, 'a') + "\r\n" + std::string(80, 'b') + "\r\n.\r\n";
  big.feed(wire);
  CHECK(big.done());
  CHECK(big.too_big());
  DataDecoder longline(100000, 1000);
  std::string w2 = std::string(999, 'a') + "\r\n.\r\n";  // 1001 bytes with CRLF
  longline.feed(w2);
  CHECK(longline.done());
  CHECK(longline.line_too_long());
  DataDecoder ok(100000, 1000);
  std::string w3 = std::string(998, 'a') + "\r\n.\r\n";  // exactly 1000
  ok.feed(w3);
  CHECK(ok.done());
  CHECK_FALSE(ok.line_too_long());
  DataDecoder empty(100, 1000);
  CHECK(decode(".\r\n", empty).empty());
}
