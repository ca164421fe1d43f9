// Inbound processing of signed and plain messages made by openssl: RFC 7281 results, the
// Authentication-Results field (spoofed copies removed) and the structured status.
#include <catch2/catch.hpp>

#include "inbound_fixture.hpp"

using namespace smimegw;
using namespace smimegw::test;

TEST_CASE("signed by a trusted signer matching From passes with an AR field and status",
          "[inbound]") {
  Rig rig;
  const std::string msg = signed_by("alice", "alice@example.com");
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(first_line(copy->body) ==
        "Authentication-Results: mx.example.com; smime=pass "
        "header.smime-identifier=alice@example.com");
  CHECK_FALSE(copy->sealed);
  CHECK(copy->smime_json.find("\"signed\":true") != std::string::npos);
  CHECK(copy->smime_json.find("\"signatureStatus\":\"valid\"") != std::string::npos);
  CHECK(copy->smime_json.find("\"signer\":\"alice@example.com\"") != std::string::npos);
  CHECK(copy->smime_json.find("\"thumbprint\":\"" +
                              directory::thumbprint_of(identity("alice").cert.BER_encode()) +
                              "\"") != std::string::npos);
  // Apart from the field on top the message is stored byte for byte: openssl still verifies it.
  // Header lines are re-terminated with CRLF; everything else is kept.
  CHECK(lf(copy->body.substr(first_field_size(copy->body))) == lf(msg));
  spit(work_dir() / "stored.eml", copy->body);
  CHECK(sh("openssl cms -verify -CAfile ca.pem -in stored.eml -out /dev/null") == 0);
  const auto* ev = rig.trace.find("signature");
  REQUIRE(ev);
  CHECK(ev->stage == "inbound");
  CHECK(ev->detail_json.find("\"result\":\"pass\"") != std::string::npos);
}

TEST_CASE("a signer whose certificate does not carry the From address fails", "[inbound]") {
  Rig rig;
  auto copy = rig.run(signed_by("alice", "carol@example.com"));
  REQUIRE(copy);
  CHECK(first_line(copy->body) ==
        "Authentication-Results: mx.example.com; smime=fail reason=\"address_mismatch\" "
        "header.smime-identifier=alice@example.com");
  CHECK(copy->smime_json.find("\"signatureStatus\":\"untrusted\"") != std::string::npos);
  CHECK(copy->smime_json.find("\"address_mismatch\"") != std::string::npos);
}

TEST_CASE("a signer under a root that is not an anchor fails as untrusted", "[inbound]") {
  Rig rig;
  auto copy = rig.run(signed_by("eve", "eve@example.com"));
  REQUIRE(copy);
  CHECK(first_line(copy->body).find("smime=fail reason=\"untrusted_root\"") != std::string::npos);
  CHECK(copy->smime_json.find("\"signatureStatus\":\"untrusted\"") != std::string::npos);
}

TEST_CASE("a tampered clear-signed body fails as an invalid signature", "[inbound]") {
  Rig rig;
  std::string msg = signed_by("alice", "alice@example.com", "Pay 100 EUR to Bob.");
  auto at = msg.find("Pay 100");
  REQUIRE(at != std::string::npos);
  msg.replace(at, 7, "Pay 900");
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(first_line(copy->body).find("smime=fail reason=\"digest_mismatch\"") != std::string::npos);
  CHECK(copy->smime_json.find("\"signatureStatus\":\"invalid\"") != std::string::npos);
}

TEST_CASE("an opaque signed message from a P-256 signer passes", "[inbound]") {
  Rig rig;
  const Identity& c = identity("carol");
  auto content = content_file("c-opaque.txt", "opaque signed");
  auto msg = openssl_out("openssl cms -sign -nodetach -in " + content.string() + " -signer " +
                             c.cert_pem.string() + " -inkey " + c.key_pem.string() +
                             " -from carol@example.com -to bob@example.com -subject o",
                         "opaque.eml");
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(first_line(copy->body) ==
        "Authentication-Results: mx.example.com; smime=pass "
        "header.smime-identifier=carol@example.com");
}

TEST_CASE("revocation that cannot be checked gives temperror", "[inbound]") {
  Rig rig(trust::RevocationMode::require);
  auto copy = rig.run(signed_by("alice", "alice@example.com"));
  REQUIRE(copy);
  CHECK(first_line(copy->body).find("smime=temperror") != std::string::npos);
  CHECK(copy->smime_json.find("\"signatureStatus\":\"unverified\"") != std::string::npos);
  CHECK(copy->smime_json.find("revocation_unknown") != std::string::npos);
}

TEST_CASE("our spoofed Authentication-Results are removed and foreign ones kept", "[inbound]") {
  Rig rig;
  const std::string msg = signed_by("eve", "eve@example.com");
  const std::string spoofed =
      "Authentication-Results: MX.Example.COM; smime=pass "
      "header.smime-identifier=eve@example.com\r\n"
      "Authentication-Results: (forged) \"mx.example.com\";\r\n smime=pass\r\n"
      "Authentication-Results: relay.example.net; dkim=pass header.d=example.net\r\n"
      "Authentication-Results: mx.example.com.evil.test; spf=pass\r\n";
  auto copy = rig.run(spoofed + msg);
  REQUIRE(copy);
  const std::string& b = copy->body;
  std::size_t ours = 0;
  for (auto p = b.find("mx.example.com;"); p != std::string::npos;
       p = b.find("mx.example.com;", p + 1))
    ++ours;
  CHECK(ours == 1);  // our own field only
  CHECK(b.find("smime=pass") == std::string::npos);
  CHECK(b.find("Authentication-Results: relay.example.net; dkim=pass") != std::string::npos);
  CHECK(b.find("mx.example.com.evil.test; spf=pass") != std::string::npos);
  const auto* ev = rig.trace.find("authentication_results");
  REQUIRE(ev);
  CHECK(ev->detail_json.find("\"removed_spoofed\":2") != std::string::npos);
}

TEST_CASE("a plain message gets smime=none and is otherwise unchanged", "[inbound]") {
  Rig rig;
  const std::string msg =
      "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: plain\r\n\r\nhello\r\n";
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(copy->body == "Authentication-Results: mx.example.com; smime=none\r\n" + msg);
  CHECK_FALSE(copy->sealed);
  CHECK(copy->label_id.empty());
  CHECK(copy->smime_json.find("\"signed\":false") != std::string::npos);
  CHECK(copy->smime_json.find("\"encrypted\":false") != std::string::npos);
  CHECK(rig.keys.owner_calls == 0);  // no vault access for plain mail
}

TEST_CASE("authserv-id parsing skips comments and unquotes", "[inbound]") {
  CHECK(transport::authserv_id_of(" mx.example.com; none") == "mx.example.com");
  CHECK(transport::authserv_id_of("(c (nested)) \"mx.example.com\" 1; x") == "mx.example.com");
  CHECK(transport::authserv_id_of("mx.example.com 1; x") == "mx.example.com");
  CHECK(transport::authserv_id_of("") == "");
}
