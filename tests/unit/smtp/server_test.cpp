// smtp::Server in-process over loopback, driven by a scripted raw-socket client.
#include <atomic>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "smtp_test_support.hpp"

using namespace smimegw;
using namespace smimegw::test;
using smtp::Mode;

namespace {
void greet(RawClient& c, const std::string& verb = "EHLO") {
  REQUIRE(c.code() == "220");
  c.send(verb + " client.example\r\n");
  REQUIRE(c.code().substr(0, 3) == "250");
}
void transaction(RawClient& c, const std::string& body) {
  c.send("MAIL FROM:<a@example.org>\r\n");
  REQUIRE(c.code() == "250 2.1.0");
  c.send("RCPT TO:<b@example.net>\r\n");
  REQUIRE(c.code() == "250 2.1.5");
  c.send("DATA\r\n");
  REQUIRE(c.code() == "354");
  c.send(body);
}
}  // namespace

TEST_CASE("server accepts a message, adds Received and answers 250 with the queue id") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  transaction(c, "Subject: hi\r\n\r\nhello\r\n.\r\n");
  auto r = c.reply();
  CHECK(r.rfind("250 2.0.0 Ok: queued as Q1", 0) == 0);
  c.send("QUIT\r\n");
  CHECK(c.code() == "221 2.0.0");
  REQUIRE(s.sink.count() == 1);
  auto m = s.sink.messages()[0];
  CHECK(m.env.mail_from == "a@example.org");
  REQUIRE(m.env.recipients.size() == 1);
  CHECK(m.env.recipients[0].address == "b@example.net");
  CHECK(m.env.helo == "client.example");
  CHECK(m.env.client_address == "127.0.0.1");
  CHECK(m.message.rfind("Received: from client.example ([127.0.0.1])\r\n\tby mx.test.example", 0) ==
        0);
  CHECK(m.message.find("with ESMTP id") != std::string::npos);
  CHECK(m.message.find("for <b@example.net>;") != std::string::npos);
  CHECK(m.message.size() > 20);
  CHECK(m.message.substr(m.message.size() - 22) == "Subject: hi\r\n\r\nhello\r\n");
  CHECK(s.metrics.render().find(
            "smimegw_smtp_messages_total{listener=\"inbound\",result=\"accepted\"} 1") !=
        std::string::npos);
}

TEST_CASE("EHLO advertises PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, ENHANCEDSTATUSCODES") {
  auto o = test_options();
  o.limits.max_message_bytes = 12345;
  TestServer s(o);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("EHLO x.example\r\n");
  auto r = c.reply();
  for (auto kw : {"250-PIPELINING", "250-SIZE 12345", "250-8BITMIME", "250-SMTPUTF8", "250-DSN",
                  "ENHANCEDSTATUSCODES"})
    CHECK(r.find(kw) != std::string::npos);
  CHECK(r.find("STARTTLS") == std::string::npos);  // no certificate configured
  CHECK(r.find("AUTH") == std::string::npos);      // inbound
}

TEST_CASE("pipelined commands in one packet get their replies in order") {
  TestServer s(test_options());
  s.sink.unknown_users.insert("nobody@example.net");
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send(
      "EHLO x.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.net>\r\n"
      "RCPT TO:<nobody@example.net>\r\nRCPT TO:<c@example.net>\r\nDATA\r\n");
  CHECK(c.reply().find("250 ENHANCEDSTATUSCODES") != std::string::npos);
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "550 5.1.1");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "354");
  c.send("body\r\n.\r\nRSET\r\nNOOP\r\nMAIL FROM:<>\r\nQUIT\r\n");
  CHECK(c.code() == "250 2.0.0");
  CHECK(c.code() == "250 2.0.0");
  CHECK(c.code() == "250 2.0.0");
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "221 2.0.0");
  REQUIRE(s.sink.count() == 1);
  CHECK(s.sink.messages()[0].env.recipients.size() == 2);
}

TEST_CASE("a long pipeline of NOOPs is answered completely and in order") {
  auto o = test_options();
  o.limits.max_pipelined = 10;
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  std::string batch;
  for (int i = 0; i < 300; ++i) batch += "NOOP\r\n";
  c.send(batch + "QUIT\r\n");
  for (int i = 0; i < 300; ++i) REQUIRE(c.code() == "250 2.0.0");
  CHECK(c.code() == "221 2.0.0");
}

TEST_CASE("unknown command 500 5.5.1, syntax error 501 5.5.4, bad sequence 503 5.5.1") {
  TestServer s(test_options());
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("MAIL FROM:<a@b.example>\r\n");
  CHECK(c.code() == "503 5.5.1");  // before EHLO
  c.send("EHLO x\r\n");
  c.reply();
  c.send("FOO bar\r\n");
  CHECK(c.code() == "500 5.5.1");
  c.send("MAIL FROM:a@b\r\n");
  CHECK(c.code() == "501 5.5.4");
  c.send("MAIL FROM:<a@b.example> XYZ=1\r\n");
  CHECK(c.code() == "555 5.5.4");
  c.send("RCPT TO:<b@c.example>\r\n");
  CHECK(c.code() == "503 5.5.1");
  c.send("DATA\r\n");
  CHECK(c.code() == "503 5.5.1");
  c.send("VRFY someone\r\n");
  CHECK(c.code() == "252 2.5.0");
  c.send("EXPN list\r\n");
  CHECK(c.code() == "502 5.5.1");
  c.send("HELP\r\n");
  CHECK(c.code() == "214 2.0.0");
}

TEST_CASE("too many errors close the session with 421 4.7.0") {
  auto o = test_options();
  o.limits.max_errors = 3;
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  for (int i = 0; i < 3; ++i) {
    c.send("BOGUS\r\n");
    CHECK(c.code() == "500 5.5.1");
  }
  c.send("BOGUS\r\n");
  CHECK(c.code() == "500 5.5.1");
  CHECK(c.code() == "421 4.7.0");
  CHECK(c.closed());
}

TEST_CASE("a command line over 1000 bytes gets 500 5.5.2 and the session goes on") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  c.send("NOOP " + std::string(993, 'x') + "\r\n");  // exactly 1000 with CRLF: fine
  CHECK(c.code() == "250 2.0.0");
  c.send("NOOP " + std::string(994, 'x') + "\r\n");  // 1001
  CHECK(c.code() == "500 5.5.2");
  c.send("NOOP " + std::string(20000, 'x') + "\r\nNOOP\r\n");  // spans many reads
  CHECK(c.code() == "500 5.5.2");
  CHECK(c.code() == "250 2.0.0");
}

TEST_CASE("SIZE over the limit is refused at MAIL with 552 5.3.4") {
  auto o = test_options();
  o.limits.max_message_bytes = 1000;
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  c.send("MAIL FROM:<a@example.org> SIZE=1001\r\n");
  CHECK(c.code() == "552 5.3.4");
  c.send("MAIL FROM:<a@example.org> SIZE=1000\r\n");
  CHECK(c.code() == "250 2.1.0");
}

TEST_CASE("a streamed message over the limit is read to the dot, then refused with 552 5.3.4") {
  auto o = test_options();
  o.limits.max_message_bytes = 2000;
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  std::string body;
  for (int i = 0; i < 200; ++i) body += std::string(70, 'z') + "\r\n";
  transaction(c, body + ".\r\n");
  CHECK(c.code() == "552 5.3.4");
  // The session is still in sync: a small message goes through.
  transaction(c, "small\r\n.\r\n");
  CHECK(c.code() == "250 2.0.0");
  CHECK(s.sink.count() == 1);
  CHECK(s.metrics.render().find("result=\"refused\"} 1") != std::string::npos);
}

TEST_CASE("a DATA line over 1000 bytes is refused with 500 5.5.2 after the dot") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  transaction(c, std::string(1500, 'q') + "\r\n.\r\n");
  CHECK(c.code() == "500 5.5.2");
  CHECK(s.sink.count() == 0);
}

TEST_CASE("recipients over the limit get 452 4.5.3") {
  auto o = test_options();
  o.limits.max_recipients = 2;
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  c.send(
      "MAIL FROM:<a@example.org>\r\nRCPT TO:<r1@example.net>\r\nRCPT TO:<r2@example.net>\r\n"
      "RCPT TO:<r3@example.net>\r\nDATA\r\n");
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "452 4.5.3");
  CHECK(c.code() == "354");
  c.send("x\r\n.\r\n");
  CHECK(c.code() == "250 2.0.0");
  CHECK(s.sink.messages().at(0).env.recipients.size() == 2);
}

TEST_CASE("a silent client gets 421 4.4.2 after the command timeout") {
  auto o = test_options();
  o.limits.command_timeout = std::chrono::milliseconds(300);
  TestServer s(o);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  auto t0 = std::chrono::steady_clock::now();
  CHECK(c.code() == "421 4.4.2");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  CHECK(c.closed());
}

TEST_CASE("a client dripping a command one byte at a time gets 421 4.4.2 after the timeout") {
  // Each byte arrives well within the timeout; the line as a whole does not (slowloris).
  auto o = test_options();
  o.limits.command_timeout = std::chrono::milliseconds(600);
  TestServer s(o);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  const auto t0 = std::chrono::steady_clock::now();
  const std::string drip = "EHLO a-very-slow-client.example.org";  // 100 ms a byte: 3.5 s
  std::size_t sent = 0;
  while (sent < drip.size() && !c.readable(100)) c.send(std::string(1, drip[sent++]));
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(c.code() == "421 4.4.2");
  CHECK(sent >= 5);                               // it really was dripping
  CHECK(took >= std::chrono::milliseconds(550));  // not before the timeout…
  CHECK(took < std::chrono::milliseconds(2500));  // …and not after the drip
  CHECK(c.closed());
}

TEST_CASE("a client that stalls in DATA gets 421 4.4.2 and nothing is accepted") {
  auto o = test_options();
  o.limits.data_timeout = std::chrono::milliseconds(300);
  TestServer s(o);
  RawClient c(s.port());
  greet(c);
  transaction(c, "partial line\r\n");
  CHECK(c.code() == "421 4.4.2");
  CHECK(c.closed());
  CHECK(s.sink.count() == 0);
}

TEST_CASE("connections over the per-address cap get 421 4.7.0 at the greeting") {
  auto o = test_options();
  o.limits.max_connections_per_address = 2;
  TestServer s(o);
  RawClient a(s.port()), b(s.port());
  REQUIRE(a.code() == "220");
  REQUIRE(b.code() == "220");
  RawClient c(s.port());
  CHECK(c.code() == "421 4.7.0");
  CHECK(c.closed());
  a.send("QUIT\r\n");
  CHECK(a.code() == "221 2.0.0");
  CHECK(a.closed());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RawClient d(s.port());
  CHECK(d.code() == "220");
}

TEST_CASE("connections over the total cap get 421 4.7.0 at the greeting") {
  auto o = test_options();
  o.limits.max_connections = 1;
  TestServer s(o);
  RawClient a(s.port());
  REQUIRE(a.code() == "220");
  RawClient b(s.port());
  CHECK(b.reply().find("421 4.7.0 Too many connections") == 0);
}

TEST_CASE("an 8-bit body survives unchanged") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  c.send("MAIL FROM:<a@example.org> BODY=8BITMIME\r\n");
  CHECK(c.code() == "250 2.1.0");
  c.send("RCPT TO:<b@example.net>\r\nDATA\r\n");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "354");
  std::string body =
      "Subject: \xc3\xa4\r\n\r\nGr\xc3\xbc\xc3\x9f"
      "e \xff\x80\r\n";
  c.send(body + ".\r\n");
  CHECK(c.code() == "250 2.0.0");
  auto m = s.sink.messages().at(0);
  CHECK(m.env.body == core::BodyType::EightBitMime);
  CHECK(m.message.substr(m.message.size() - body.size()) == body);
}

TEST_CASE("dot-stuffed lines are unstuffed and a lone dot line inside survives") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  transaction(c, "..starts with a dot\r\n...\r\n..\r\nend\r\n.\r\n");
  CHECK(c.code() == "250 2.0.0");
  auto m = s.sink.messages().at(0).message;
  CHECK(m.find("\r\n.starts with a dot\r\n..\r\n.\r\nend\r\n") != std::string::npos);
}

TEST_CASE("a bare-LF dot inside DATA does not end the message (SMTP smuggling)") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  transaction(c,
              "Subject: x\r\n\r\nhello\n.\nMAIL FROM:<evil@example.org>\r\n"
              "RCPT TO:<victim@example.net>\r\nDATA\r\n\r\nsmuggled\r\n.\r\n");
  // One message with everything inside it, and exactly one reply.
  CHECK(c.code() == "250 2.0.0");
  c.send("NOOP\r\n");
  CHECK(c.code() == "250 2.0.0");
  REQUIRE(s.sink.count() == 1);
  auto m = s.sink.messages()[0];
  CHECK(m.env.recipients.size() == 1);
  CHECK(m.message.find("hello\r\n.\r\nMAIL FROM:<evil@example.org>\r\n") != std::string::npos);
  CHECK(m.message.find("smuggled") != std::string::npos);
}

TEST_CASE("sink refusals map through the reply map - accept errors answer 451 4.3.0") {
  TestServer s(test_options());
  s.sink.unknown_users.insert("ghost@example.net");
  s.sink.relay_denied.insert("far@elsewhere.example");
  RawClient c(s.port());
  greet(c);
  c.send("MAIL FROM:<a@example.org>\r\n");
  CHECK(c.code() == "250 2.1.0");
  c.send("RCPT TO:<ghost@example.net>\r\n");
  CHECK(c.code() == "550 5.1.1");
  c.send("RCPT TO:<far@elsewhere.example>\r\n");
  CHECK(c.code() == "554 5.7.1");
  c.send("DATA\r\n");
  CHECK(c.code() == "554 5.5.1");  // no valid recipients
  c.send("RSET\r\n");
  CHECK(c.code() == "250 2.0.0");
  s.sink.accept_error = core::Error::transient("db_unavailable", "pg at 10.1.2.3 down");
  transaction(c, "x\r\n.\r\n");
  auto r = c.reply();
  CHECK(r.rfind("451 4.3.0", 0) == 0);
  CHECK(r.find("10.1.2.3") == std::string::npos);
}

TEST_CASE("submission requires AUTH before MAIL with 530 5.7.0, AUTH over plaintext 538 5.7.11") {
  TestServer s(test_options(Mode::Submission), true);
  RawClient c(s.port());
  REQUIRE(c.code() == "220");
  c.send("EHLO x\r\n");
  CHECK(c.reply().find("AUTH") == std::string::npos);  // not offered without TLS
  c.send("MAIL FROM:<alice@example.com>\r\n");
  CHECK(c.code() == "530 5.7.0");
  c.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
  CHECK(c.code() == "538 5.7.11");
  CHECK(s.auth.calls == 0);
}

TEST_CASE("AUTH PLAIN and LOGIN on loopback with allow_auth_without_tls - bad password 535 5.7.8") {
  auto o = test_options(Mode::Submission);
  o.allow_auth_without_tls = true;
  TestServer s(o, true);
  {
    RawClient c(s.port());
    REQUIRE(c.code() == "220");
    c.send("EHLO x\r\n");
    CHECK(c.reply().find("250 AUTH PLAIN LOGIN") != std::string::npos);
    c.send("AUTH PLAIN AGFsaWNlAHdyb25n\r\n");  // alice / wrong
    CHECK(c.code() == "535 5.7.8");
    c.send("AUTH PLAIN\r\n");
    CHECK(c.reply() == "334 \r\n");
    c.send("AGFsaWNlAHNlY3JldA==\r\n");  // alice / secret
    CHECK(c.code() == "235 2.7.0");
    c.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
    CHECK(c.code() == "503 5.5.1");
    transaction(c, "Subject: s\r\n\r\nx\r\n.\r\n");
    CHECK(c.code() == "250 2.0.0");
    auto m = s.sink.messages().at(0);
    REQUIRE(m.env.authenticated_user.has_value());
    CHECK(*m.env.authenticated_user == "alice@example.com");
    CHECK(m.message.find("with ESMTPA id") != std::string::npos);
  }
  {
    RawClient c(s.port());
    REQUIRE(c.code() == "220");
    c.send("EHLO x\r\nAUTH LOGIN\r\n");
    c.reply();
    CHECK(c.reply() == "334 VXNlcm5hbWU6\r\n");
    c.send("YWxpY2U=\r\n");
    CHECK(c.reply() == "334 UGFzc3dvcmQ6\r\n");
    c.send("c2VjcmV0\r\n");
    CHECK(c.code() == "235 2.7.0");
  }
  {
    RawClient c(s.port());
    REQUIRE(c.code() == "220");
    c.send("EHLO x\r\nAUTH LOGIN\r\n");
    c.reply();
    c.reply();
    c.send("*\r\n");
    CHECK(c.code() == "501 5.0.0");
    c.send("AUTH CRAM-MD5\r\n");
    CHECK(c.code() == "504 5.5.4");
  }
}

TEST_CASE("inbound listeners do not offer or accept AUTH") {
  TestServer s(test_options(), true);
  RawClient c(s.port());
  greet(c);
  c.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
  CHECK(c.code() == "502 5.5.1");
}

TEST_CASE("SMTPUTF8: non-ASCII addresses need the SMTPUTF8 parameter (553 5.6.7)") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c);
  c.send("MAIL FROM:<a@example.org>\r\nRCPT TO:<j\xc3\xb6rg@example.net>\r\nRSET\r\n");
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "553 5.6.7");
  CHECK(c.code() == "250 2.0.0");
  c.send("MAIL FROM:<a@example.org> SMTPUTF8\r\nRCPT TO:<j\xc3\xb6rg@example.net>\r\nDATA\r\n");
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "354");
  c.send("x\r\n.\r\n");
  CHECK(c.code() == "250 2.0.0");
  auto m = s.sink.messages().at(0);
  CHECK(m.env.smtputf8);
  CHECK(m.message.find("with UTF8SMTP id") != std::string::npos);
}

TEST_CASE("HELO sessions may not use ESMTP parameters - DSN parameters reach the envelope") {
  TestServer s(test_options());
  RawClient c(s.port());
  greet(c, "HELO");
  c.send("MAIL FROM:<a@example.org> SIZE=10\r\n");
  CHECK(c.code() == "501 5.5.4");
  c.send("EHLO x\r\n");
  c.reply();
  c.send(
      "MAIL FROM:<a@example.org> RET=HDRS ENVID=abc+2B1\r\n"
      "RCPT TO:<b@example.net> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b@example.net\r\nDATA\r\n");
  CHECK(c.code() == "250 2.1.0");
  CHECK(c.code() == "250 2.1.5");
  CHECK(c.code() == "354");
  c.send("x\r\n.\r\n");
  CHECK(c.code() == "250 2.0.0");
  auto e = s.sink.messages().at(0).env;
  CHECK(e.ret == core::DsnRet::Headers);
  CHECK(e.envid == "abc+1");
  CHECK(e.recipients.at(0).notify == 6);
  CHECK(e.recipients.at(0).orcpt == "rfc822;b@example.net");
}

TEST_CASE("stop() closes idle sessions with 421 4.3.2") {
  boost::asio::io_context io;
  MemorySink sink;
  obs::Metrics metrics;
  smtp::Server server(io.get_executor(), test_options(), sink, metrics);
  REQUIRE(server.listen("127.0.0.1", 0).ok());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t([&] { io.run(); });
  {
    RawClient c(server.port());
    greet(c);
    server.stop();
    CHECK(c.code() == "421 4.3.2");
    CHECK(c.closed());
  }
  for (int i = 0; i < 100 && server.active() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(server.active() == 0);
  io.stop();
  t.join();
}

TEST_CASE("a server on a two-thread io_context serves concurrent clients") {
  boost::asio::io_context io;
  MemorySink sink;
  obs::Metrics metrics;
  auto o = test_options();
  o.limits.max_connections_per_address = 50;
  smtp::Server server(io.get_executor(), o, sink, metrics);
  REQUIRE(server.listen("127.0.0.1", 0).ok());
  boost::asio::co_spawn(io, server.run(), boost::asio::detached);
  std::thread t1([&] { io.run(); }), t2([&] { io.run(); });
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i)
    clients.emplace_back([&, i] {  // no Catch macros on these threads
      RawClient c(server.port());
      if (c.code() != "220") return;
      c.send("EHLO c" + std::to_string(i) +
             ".example\r\nMAIL FROM:<a@example.org>\r\n"
             "RCPT TO:<b@example.net>\r\nDATA\r\n");
      c.reply();
      if (c.code() != "250 2.1.0" || c.code() != "250 2.1.5" || c.code() != "354") return;
      c.send("n " + std::to_string(i) + "\r\n.\r\nQUIT\r\n");
      if (c.code() == "250 2.0.0" && c.code() == "221 2.0.0") ++ok;
    });
  for (auto& c : clients) c.join();
  CHECK(ok == 16);
  CHECK(sink.count() == 16);
  server.stop();
  for (int i = 0; i < 100 && server.active() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io.stop();
  t1.join();
  t2.join();
}
