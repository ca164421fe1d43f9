// Inbound processing of encrypted messages made by openssl: decryption with the owner's or the
// gateway key, sealing (AES-256-GCM to the gateway key and the owner; openssl opens it),
// undecryptable mail kept as received, protected labels, and temporary failures.
#include <botan/hex.h>

#include <catch2/catch.hpp>

#include "inbound_fixture.hpp"

using namespace smimegw;
using namespace smimegw::test;

namespace {

/// Opens a sealed copy with `who`'s key through openssl; "" when it fails.
std::string unseal(const std::string& body, const std::string& who) {
  spit(work_dir() / "sealed.eml", body);
  const Identity& id = identity(who);
  if (sh("openssl cms -decrypt -recip " + id.cert_pem.string() + " -inkey " + id.key_pem.string() +
         " -in sealed.eml -out unsealed.eml") != 0)
    return {};
  return slurp(work_dir() / "unsealed.eml");
}

/// Opens a sealed copy through openssl with the gateway key's seal key (KEKRecipientInfo).
std::string unseal_with_seal_key(const std::string& body) {
  spit(work_dir() / "sealed.eml", body);
  auto g = gateway_key();
  if (sh("openssl cms -decrypt -secretkey " + Botan::hex_encode(g->seal_key) + " -secretkeyid " +
         Botan::hex_encode(g->seal_key_id) + " -in sealed.eml -out unsealed.eml") != 0)
    return {};
  return slurp(work_dir() / "unsealed.eml");
}

bool contains(const std::string& s, const std::string& what) {
  return s.find(what) != std::string::npos;
}

std::string labelled(const std::string& guid, int bits) {
  return "msip_labels: MSIP_Label_" + guid + "_Enabled=true; MSIP_Label_" + guid +
         "_SiteId=" + kTenant + "; MSIP_Label_" + guid + "_ContentBits=" + std::to_string(bits) +
         "\r\n";
}

constexpr const char* kSecretGuid = "aaaaaaaa-0000-0000-0000-000000000001";
constexpr const char* kPublicGuid = "aaaaaaaa-0000-0000-0000-000000000002";

std::shared_ptr<const policy::Catalog> catalog() {
  auto c = std::make_shared<policy::Catalog>();
  policy::Label secret;
  secret.id = kSecretGuid;
  secret.name = "Secret";
  secret.priority = 10;
  secret.protection = policy::Protection::encrypt;
  policy::Label pub;
  pub.id = kPublicGuid;
  pub.name = "Public";
  pub.priority = 1;
  c->labels = {secret, pub};
  return c;
}

}  // namespace

TEST_CASE("encrypted to the user is decrypted and sealed to the gateway key and the user",
          "[inbound]") {
  Rig rig;
  auto msg = encrypted_to({"bob"}, content_file("c-enc.txt", "Top secret plan."));
  REQUIRE_FALSE(contains(msg, "Top secret plan."));
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(copy->sealed);
  CHECK_FALSE(contains(copy->body, "Top secret plan."));
  CHECK(contains(copy->body, "smime-type=authEnveloped-data"));
  CHECK(first_line(copy->body) == "Authentication-Results: mx.example.com; smime=none");
  for (const char* who : {"gateway", "bob"}) {
    auto plain = unseal(copy->body, who);
    INFO(who);
    CHECK(contains(plain, "Top secret plan."));
  }
  // The seal key (derived from the gateway key, KEKRecipientInfo) opens it too.
  CHECK(contains(unseal_with_seal_key(copy->body), "Top secret plan."));
  CHECK(contains(copy->smime_json, "\"encrypted\":true"));
  CHECK(contains(copy->smime_json, "\"decrypted\":true"));
  REQUIRE(rig.trace.find("decrypted"));
  REQUIRE(rig.trace.find("sealed"));
  CHECK(contains(rig.trace.find("sealed")->detail_json, "\"recipients\":3"));
}

TEST_CASE("sign then encrypt: decrypted, signature verified, sealed with the signature inside",
          "[inbound]") {
  Rig rig;
  const Identity& a = identity("alice");
  auto content = content_file("c-se.txt", "Signed and sealed.");
  must("openssl cms -sign -in " + content.string() + " -signer " + a.cert_pem.string() +
       " -inkey " + a.key_pem.string() + " -out inner.txt");
  auto msg = encrypted_to({"bob"}, work_dir() / "inner.txt", "-aes-256-gcm");
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(copy->sealed);
  CHECK(first_line(copy->body) ==
        "Authentication-Results: mx.example.com; smime=pass "
        "header.smime-identifier=alice@example.com");
  CHECK(contains(copy->smime_json, "\"signatureStatus\":\"valid\""));
  CHECK(contains(copy->smime_json, "\"encrypted\":true"));
  auto plain = unseal(copy->body, "bob");
  REQUIRE(contains(plain, "Signed and sealed."));
  spit(work_dir() / "inner-check.eml", plain);
  CHECK(sh("openssl cms -verify -CAfile ca.pem -in inner-check.eml -out /dev/null") == 0);
}

TEST_CASE("legacy x-pkcs7-mime encrypted only to the gateway key is opened with it", "[inbound]") {
  Rig rig;
  auto msg =
      encrypted_to({"gateway"}, content_file("c-gw.txt", "for the gateway"), "-aes256", "smime");
  REQUIRE(contains(msg, "application/x-pkcs7-mime"));
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK(copy->sealed);
  CHECK(contains(unseal(copy->body, "bob"), "for the gateway"));
}

TEST_CASE("no matching key: stored as received with the reason, delivery not failed", "[inbound]") {
  Rig rig;
  auto msg = encrypted_to({"carol"}, content_file("c-carol.txt", "not for bob"));
  auto copy = rig.run(msg);
  REQUIRE(copy);
  CHECK_FALSE(copy->sealed);
  CHECK(first_line(copy->body) ==
        "Authentication-Results: mx.example.com; smime=neutral reason=\"no_matching_recipient\"");
  // Header lines are re-terminated with CRLF; everything else is kept.
  CHECK(lf(copy->body.substr(first_field_size(copy->body))) == lf(msg));
  CHECK(contains(copy->smime_json, "\"encrypted\":true"));
  CHECK(contains(copy->smime_json, "\"decrypted\":false"));
  CHECK(contains(copy->smime_json, "\"errors\":[\"no_matching_recipient\"]"));
  CHECK(rig.trace.find("not_decryptable"));
}

TEST_CASE("an owner without keys (not a vault outage) still gets the mail as received",
          "[inbound]") {
  Rig rig;
  rig.keys.owner.clear();
  rig.keys.owner_error = core::Error::make("no_decryption_key", "none");
  auto copy = rig.run(encrypted_to({"bob"}, content_file("c-nokey.txt", "x")));
  REQUIRE(copy);
  CHECK_FALSE(copy->sealed);
  CHECK(contains(copy->smime_json, "no_decryption_key"));
}

TEST_CASE("a vault or database outage fails the copy temporarily", "[inbound]") {
  Rig rig;
  rig.keys.owner_error = core::Error::transient("db_unavailable", "down");
  auto copy = rig.run(encrypted_to({"bob"}, content_file("c-down.txt", "x")));
  REQUIRE_FALSE(copy);
  CHECK(copy.error().temporary);
  CHECK(copy.error().code == "db_unavailable");
}

TEST_CASE("mail that must be sealed without a gateway key is retried, never stored in clear",
          "[inbound]") {
  Rig rig;
  rig.keys.gateway.clear();
  rig.keys.gateway_error = core::Error::make("not_found", "no gateway key");
  auto copy = rig.run(encrypted_to({"bob"}, content_file("c-nogw.txt", "x")));
  REQUIRE_FALSE(copy);
  CHECK(copy.error().temporary);
  CHECK(copy.error().code == "gateway_key_unavailable");
}

TEST_CASE("a protected label of our tenant seals a plain message; an open label does not",
          "[inbound]") {
  Rig rig;
  rig.labels.cat = catalog();
  const std::string body =
      "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: l\r\n\r\nLabelled text\r\n";
  auto copy = rig.run(labelled(kSecretGuid, 0) + body);
  REQUIRE(copy);
  CHECK(copy->sealed);
  CHECK(copy->label_id == kSecretGuid);
  CHECK_FALSE(contains(copy->body, "Labelled text"));
  CHECK(contains(unseal(copy->body, "gateway"), "Labelled text"));

  auto open = rig.run(labelled(kPublicGuid, 0) + body);
  REQUIRE(open);
  CHECK_FALSE(open->sealed);
  CHECK(open->label_id == kPublicGuid);
  CHECK(contains(open->body, "Labelled text"));
}

TEST_CASE("the label decided at intake wins and its protection seals", "[inbound]") {
  Rig rig;
  rig.labels.cat = catalog();
  const std::string body =
      "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: l\r\n\r\nIntake label\r\n";
  auto copy = rig.run(body, kSecretGuid);
  REQUIRE(copy);
  CHECK(copy->sealed);
  CHECK(copy->label_id == kSecretGuid);
}

TEST_CASE("another tenant's label is ignored; ContentBits 8 of ours seals", "[inbound]") {
  Rig rig;
  rig.labels.cat = catalog();
  const std::string body =
      "From: alice@example.com\r\nTo: bob@example.com\r\nSubject: l\r\n\r\nhi\r\n";
  const std::string foreign = "msip_labels: MSIP_Label_" + std::string(kSecretGuid) +
                              "_Enabled=true; MSIP_Label_" + kSecretGuid +
                              "_SiteId=99999999-2222-3333-4444-555555555555\r\n";
  auto copy = rig.run(foreign + body);
  REQUIRE(copy);
  CHECK_FALSE(copy->sealed);
  CHECK(copy->label_id.empty());

  auto bits = rig.run(labelled("bbbbbbbb-0000-0000-0000-000000000009", 8) + body);
  REQUIRE(bits);
  CHECK(bits->sealed);
}

TEST_CASE("a catalog outage fails the copy temporarily", "[inbound]") {
  Rig rig;
  rig.labels.error = core::Error::transient("db_unavailable", "down");
  auto copy = rig.run("From: a@example.com\r\n\r\nx\r\n");
  REQUIRE_FALSE(copy);
  CHECK(copy.error().temporary);
}
