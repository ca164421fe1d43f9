// STARTTLS and AUTH against real clients: swaks (Net::SSLeay/OpenSSL) and openssl s_client.
#include <catch2/catch.hpp>
#include <fstream>

#include "smtp_test_support.hpp"

using namespace smimegw;
using namespace smimegw::test;
using smtp::Mode;

namespace {
smtp::ServerOptions tls_options(Mode mode) {
  auto o = test_options(mode);
  o.tls_cert_file = test_cert().cert.string();
  o.tls_key_file = test_cert().key.string();
  return o;
}
std::string swaks(std::uint16_t port, const std::string& extra) {
  return "swaks --server 127.0.0.1 --port " + std::to_string(port) +
         " --ehlo client.example --from alice@example.com --to bob@example.net "
         "--timeout 10 " +
         extra + " 2>&1";
}
}  // namespace

TEST_CASE("EHLO offers STARTTLS when a certificate is configured, and AUTH only after TLS") {
  TestServer s(tls_options(Mode::Submission), true);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("EHLO x\r\n");
  auto r = c.reply();
  CHECK(r.find("250 STARTTLS") != std::string::npos);
  CHECK(r.find("AUTH") == std::string::npos);
}

TEST_CASE("swaks: STARTTLS then AUTH PLAIN on submission delivers with ESMTPSA") {
  TestServer s(tls_options(Mode::Submission), true);
  auto r = run_command(swaks(s.port(),
                             "--tls --auth PLAIN --auth-user alice --auth-password secret"
                             " --header 'Subject: tls test'"));
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("<-  220 2.0.0 Ready to start TLS") != std::string::npos);
  CHECK(r.output.find("235 2.7.0") != std::string::npos);
  REQUIRE(s.sink.count() == 1);
  auto m = s.sink.messages()[0];
  CHECK(m.env.tls);
  CHECK(m.env.authenticated_user.value_or("") == "alice@example.com");
  CHECK(m.message.find("with ESMTPSA id") != std::string::npos);
  CHECK(m.message.find("(TLS v1.2:") != std::string::npos);
  CHECK(m.message.find("Subject: tls test") != std::string::npos);
}

TEST_CASE("swaks: AUTH LOGIN over STARTTLS, and a wrong password is refused with 535 5.7.8") {
  TestServer s(tls_options(Mode::Submission), true);
  auto ok =
      run_command(swaks(s.port(), "--tls --auth LOGIN --auth-user alice --auth-password secret"));
  INFO(ok.output);
  CHECK(ok.status == 0);
  auto bad =
      run_command(swaks(s.port(), "--tls --auth PLAIN --auth-user alice --auth-password nope"));
  INFO(bad.output);
  CHECK(bad.status != 0);
  CHECK(bad.output.find("535 5.7.8") != std::string::npos);
  CHECK(s.sink.count() == 1);
}

TEST_CASE("swaks: AUTH without TLS on submission is refused") {
  TestServer s(tls_options(Mode::Submission), true);
  auto r = run_command(swaks(s.port(), "--auth PLAIN --auth-user alice --auth-password secret"));
  INFO(r.output);
  CHECK(r.status != 0);  // swaks sees no AUTH advertised
  CHECK(s.sink.count() == 0);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("EHLO x\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
  c.reply();
  CHECK(c.code() == "538 5.7.11");
}

TEST_CASE("swaks: pipelining, 8-bit body and a body line starting with a dot") {
  TestServer s(tls_options(Mode::Inbound));
  auto body = test_cert().cert.parent_path() / "body.txt";
  {
    std::ofstream f(body, std::ios::binary);
    f << "first\n.dot line\n..two dots\n\xc3\xa4\n";
  }
  auto r = run_command(swaks(s.port(), "--pipeline --tls-optional --body " + body.string()));
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("PIPELINING") != std::string::npos);
  REQUIRE(s.sink.count() == 1);
  auto m = s.sink.messages()[0].message;
  CHECK(m.find("\r\n.dot line\r\n..two dots\r\n\xc3\xa4\r\n") != std::string::npos);
}

TEST_CASE("STARTTLS followed by pipelined plaintext is refused and the connection closed") {
  TestServer s(tls_options(Mode::Inbound));
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("EHLO x\r\n");
  c.reply();
  c.send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
  CHECK(c.code() == "554 5.5.1");
  CHECK(c.closed());
}

TEST_CASE("after STARTTLS the session state is discarded: MAIL needs a new EHLO") {
  TestServer s(tls_options(Mode::Inbound));
  // s_client sends EHLO and STARTTLS itself; what we type afterwards runs inside TLS.
  auto r = run_command(
      "printf 'MAIL FROM:<a@example.org>\\nEHLO again.example\\n"
      "MAIL FROM:<a@example.org>\\nQUIT\\n' | timeout 20 openssl s_client "
      "-starttls smtp -crlf -quiet -connect 127.0.0.1:" +
      std::to_string(s.port()) + " 2>&1");
  INFO(r.output);
  CHECK(r.output.find("503 5.5.1 Send HELO/EHLO first") != std::string::npos);
  CHECK(r.output.find("250 2.1.0") != std::string::npos);
  CHECK(r.output.find("221 2.0.0") != std::string::npos);
}

TEST_CASE("a TLS 1.1 client is refused by the policy") {
  TestServer s(tls_options(Mode::Inbound));
  auto r = run_command(
      "printf 'QUIT\\n' | timeout 20 openssl s_client -tls1_1 -starttls smtp "
      "-crlf -connect 127.0.0.1:" +
      std::to_string(s.port()) + " 2>&1");
  INFO(r.output);
  CHECK(r.output.find("221 2.0.0") == std::string::npos);
}

TEST_CASE("listen fails with tls_credentials for a missing or mismatched key") {
  boost::asio::io_context io;
  MemorySink sink;
  obs::Metrics metrics;
  auto o = tls_options(Mode::Inbound);
  o.tls_key_file = "/nonexistent/key.pem";
  smtp::Server a(io.get_executor(), o, sink, metrics);
  auto st = a.listen("127.0.0.1", 0);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().code == "tls_credentials");
  auto dir = test_cert().cert.parent_path();
  auto other = run_command("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " +
                           (dir / "other.pem").string() + " 2>&1");
  REQUIRE(other.status == 0);
  o.tls_key_file = (dir / "other.pem").string();
  smtp::Server b(io.get_executor(), o, sink, metrics);
  auto st2 = b.listen("127.0.0.1", 0);
  REQUIRE_FALSE(st2.ok());
  CHECK(st2.error().code == "tls_credentials");
  CHECK(st2.error().message.find("does not match") != std::string::npos);
}
