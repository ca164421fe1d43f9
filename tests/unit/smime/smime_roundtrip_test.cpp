// smime: sign / encrypt / decrypt / inspect round trips, policy cases and OpenSSL acceptance.
#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "smime_test_util.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/smime/smime.hpp"

using namespace smimegw;
using test::smime_identity;

namespace {

smime::Signer signer_of(const std::string& name,
                        cms::DigestAlgorithm d = cms::DigestAlgorithm::sha256) {
  const auto& id = smime_identity(name);
  smime::Signer s{id.cert, id.key.get()};
  s.digest = d;
  return s;
}

cms::DecryptKey key_of(const std::string& name) {
  const auto& id = smime_identity(name);
  return cms::DecryptKey(id.cert, id.key.get());
}

smime::Report inspect(const std::string& msg, smime::InspectOptions o = {}) {
  Botan::AutoSeeded_RNG rng;
  auto r = smime::inspect(msg, o, rng);
  REQUIRE(r.ok());
  return *r;
}

std::string body_of(const std::string& msg) {
  return msg.substr(msg.find("\r\n\r\n") + 4);
}

}  // namespace

TEST_CASE("sign keeps outer headers outside and verifies as good") {
  Botan::AutoSeeded_RNG rng;
  const std::string msg = test::sample_message();
  auto signed_msg = smime::sign(msg, signer_of("alice"), {std::chrono::system_clock::now()}, rng);
  REQUIRE(signed_msg.ok());
  const std::string& s = *signed_msg;
  CHECK(s.starts_with("From: Alice <alice@example.com>\r\n"));
  CHECK(s.find("micalg=sha-256") != std::string::npos);
  CHECK(s.find("protocol=\"application/pkcs7-signature\"") != std::string::npos);
  auto rep = inspect(s);
  REQUIRE(rep.layers.size() == 1);
  CHECK(rep.layers[0].kind == smime::LayerKind::clear_signed);
  CHECK(rep.signature_status() == "good");
  REQUIRE(rep.layers[0].signers.size() == 1);
  const auto& sg = rep.layers[0].signers[0];
  CHECK(sg.status == "ok");
  CHECK(sg.digest_algorithm == "SHA-256");
  CHECK(sg.signature_algorithm == "RSA");
  CHECK(!sg.signing_time.empty());
  CHECK(sg.addresses.front() == "alice@example.com");
  CHECK(rep.warnings.empty());
  // The innermost content under the outer fields: the original message's body.
  CHECK(body_of(rep.content) == body_of(msg));
  CHECK(rep.content.find("Subject: test\r\n") != std::string::npos);
}

TEST_CASE("sign with P-256 and SHA-384 sets micalg sha-384") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(test::sample_message("carol@example.com"),
                       signer_of("carol", cms::DigestAlgorithm::sha384), {}, rng);
  REQUIRE(s.ok());
  CHECK(s->find("micalg=sha-384") != std::string::npos);
  auto rep = inspect(*s);
  CHECK(rep.signature_status() == "good");
  CHECK(rep.layers[0].signers[0].signature_algorithm == "ECDSA");
}

TEST_CASE("tampered clear-signed content fails with digest_mismatch") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(test::sample_message(), signer_of("alice"), {}, rng);
  REQUIRE(s.ok());
  std::string t = *s;
  t.replace(t.find("quick"), 5, "QUICK");
  auto rep = inspect(t);
  CHECK(rep.signature_status() == "bad");
  CHECK(rep.layers[0].status == "digest_mismatch");
  CHECK(rep.first_error() == "digest_mismatch");
}

TEST_CASE("LF-only transport of a clear-signed message still verifies (canonical CRLF)") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(test::sample_message(), signer_of("alice"), {}, rng);
  REQUIRE(s.ok());
  std::string lf;
  for (char c : *s)
    if (c != '\r') lf.push_back(c);
  CHECK(inspect(lf).signature_status() == "good");
}

TEST_CASE("micalg disagreeing with the signer digest is a warning, not a failure") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(test::sample_message(), signer_of("alice"), {}, rng);
  REQUIRE(s.ok());
  std::string t = *s;
  t.replace(t.find("micalg=sha-256"), 14, "micalg=sha-512");
  auto rep = inspect(t);
  CHECK(rep.signature_status() == "good");
  REQUIRE(rep.warnings.size() == 1);
  CHECK(rep.warnings[0].code == "micalg_mismatch");
}

TEST_CASE("SHA-1 signatures are weak_algorithm unless accepted") {
  Botan::AutoSeeded_RNG rng;
  auto s =
      smime::sign(test::sample_message(), signer_of("alice", cms::DigestAlgorithm::sha1), {}, rng);
  REQUIRE(s.ok());
  CHECK(s->find("micalg=sha-1") != std::string::npos);
  auto rep = inspect(*s);
  CHECK(rep.signature_status() == "bad");
  CHECK(rep.layers[0].signers[0].status == "weak_algorithm");
  smime::InspectOptions o;
  o.accept_sha1 = true;
  CHECK(inspect(*s, o).signature_status() == "good");
}

TEST_CASE("From: address not in the signer certificate is address_mismatch") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(test::sample_message("ceo@example.com"), signer_of("alice"), {}, rng);
  REQUIRE(s.ok());
  auto rep = inspect(*s);
  CHECK(rep.signature_status() == "bad");
  CHECK(rep.layers[0].signers[0].status == "address_mismatch");
  smime::InspectOptions o;
  o.check_from_address = false;
  CHECK(inspect(*s, o).signature_status() == "good");
}

TEST_CASE("encrypt and decrypt round trip for every cipher, RSA v1.5, OAEP and ECDH") {
  Botan::AutoSeeded_RNG rng;
  const std::string msg = test::sample_message();
  for (auto cipher : {cms::ContentCipher::aes128_cbc, cms::ContentCipher::aes256_cbc,
                      cms::ContentCipher::aes128_gcm, cms::ContentCipher::aes256_gcm}) {
    for (bool oaep : {false, true}) {
      smime::EncryptOptions eo{cipher, oaep};
      auto e =
          smime::encrypt(msg, {smime_identity("bob").cert, smime_identity("carol").cert}, eo, rng);
      REQUIRE(e.ok());
      CHECK(e->starts_with("From: Alice <alice@example.com>\r\n"));
      CHECK(e->find(cms::is_aead(cipher) ? "smime-type=authEnveloped-data"
                                         : "smime-type=enveloped-data") != std::string::npos);
      for (const char* who : {"bob", "carol"}) {
        auto d = smime::decrypt(*e, {key_of(who)}, rng);
        REQUIRE(d.ok());
        CHECK(d->message == msg);
        CHECK(d->cipher == cipher);
        CHECK(d->authenticated == cms::is_aead(cipher));
      }
    }
  }
}

TEST_CASE("decrypt errors: wrong recipient, not encrypted, no key, truncated, tampered GCM") {
  Botan::AutoSeeded_RNG rng;
  const std::string msg = test::sample_message();
  auto e = smime::encrypt(msg, {smime_identity("bob").cert}, {}, rng);
  REQUIRE(e.ok());
  auto wrong = smime::decrypt(*e, {key_of("mallory")}, rng);
  REQUIRE(!wrong.ok());
  CHECK(wrong.error().code == "no_matching_recipient");
  // The second key fits: keys are tried in turn.
  CHECK(smime::decrypt(*e, {key_of("mallory"), key_of("bob")}, rng).ok());
  auto plain = smime::decrypt(msg, {key_of("bob")}, rng);
  REQUIRE(!plain.ok());
  CHECK(plain.error().code == "not_encrypted");
  auto nokey = smime::decrypt(*e, {}, rng);
  REQUIRE(!nokey.ok());
  CHECK(nokey.error().code == "no_decryption_key");
  std::string cut = e->substr(0, e->size() - 200) + "\r\n";
  auto tr = smime::decrypt(cut, {key_of("bob")}, rng);
  REQUIRE(!tr.ok());
  CHECK((tr.error().code == "truncated" || tr.error().code == "bad_base64"));
  std::string bad = e->substr(0, e->size() - 100) + "=" + e->substr(e->size() - 99);
  auto bb = smime::decrypt(bad, {key_of("bob")}, rng);
  REQUIRE(!bb.ok());
  CHECK(bb.error().code == "bad_base64");

  smime::EncryptOptions gcm{cms::ContentCipher::aes256_gcm, false};
  auto g = smime::encrypt(msg, {smime_identity("bob").cert}, gcm, rng);
  REQUIRE(g.ok());
  // Flip a byte inside the DER (in the base64 text, far from the end): ciphertext or tag.
  std::string t = *g;
  auto pos = t.size() - 300;
  t[pos] = t[pos] == 'A' ? 'B' : 'A';
  auto tg = smime::decrypt(t, {key_of("bob")}, rng);
  REQUIRE(!tg.ok());
  CHECK((tg.error().code == "bad_tag" || tg.error().code == "malformed"));
}

TEST_CASE("sign-then-encrypt: inspect with the key walks both layers") {
  Botan::AutoSeeded_RNG rng;
  const std::string msg = test::sample_message();
  auto se = smime::sign_and_encrypt(msg, signer_of("alice"), {}, {smime_identity("bob").cert},
                                    {cms::ContentCipher::aes256_gcm, true}, rng);
  REQUIRE(se.ok());
  auto closed = inspect(*se);
  REQUIRE(closed.layers.size() == 1);
  CHECK(closed.layers[0].status == "not_decrypted");
  CHECK(closed.signature_status() == "none");
  smime::InspectOptions o;
  o.keys.push_back(key_of("bob"));
  auto rep = inspect(*se, o);
  REQUIRE(rep.layers.size() == 2);
  CHECK(rep.layers[0].kind == smime::LayerKind::auth_enveloped);
  CHECK(rep.layers[0].cipher == "aes-256-gcm");
  CHECK(rep.layers[1].kind == smime::LayerKind::clear_signed);
  CHECK(rep.signature_status() == "good");
  CHECK(rep.is_encrypted());
  CHECK(body_of(rep.content) == body_of(msg));
}

TEST_CASE("garbage and non-S/MIME input never fail the call") {
  Botan::AutoSeeded_RNG rng;
  for (std::string g : {std::string(""), std::string("\x00\x01garbage\r\n\r\n", 14),
                        std::string("Content-Type: multipart/signed; boundary=x\r\n\r\n--x\r\n"),
                        std::string("Content-Type: application/pkcs7-mime\r\n\r\n!!!!"),
                        std::string("Content-Type: application/pkcs7-mime\r\n\r\nMIIB")}) {
    auto r = smime::inspect(g, {}, rng);
    REQUIRE(r.ok());
    CHECK(r->signature_status() != "good");
  }
}
