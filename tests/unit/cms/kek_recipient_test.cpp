// KEKRecipientInfo (RFC 5652 §6.2.3): symmetric-key recipients, interop with `openssl cms
// -secretkey/-secretkeyid` both ways, mixed with certificate recipients, and the failure cases.
#include <botan/auto_rng.h>
#include <botan/hex.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "openssl_pki.hpp"
#include "smimegw/cms/enveloped_data.hpp"

using namespace smimegw;
using smimegw::test::identity;
using smimegw::test::run;

namespace {

const std::vector<std::pair<cms::ContentCipher, std::string>> kCiphers = {
    {cms::ContentCipher::aes128_cbc, "-aes-128-cbc"},
    {cms::ContentCipher::aes256_cbc, "-aes-256-cbc"},
    {cms::ContentCipher::aes128_gcm, "-aes-128-gcm"},
    {cms::ContentCipher::aes256_gcm, "-aes-256-gcm"}};

cms::KekRecipient kek(Botan::RandomNumberGenerator& rng, std::size_t len, std::string id) {
  return cms::KekRecipient{std::vector<std::uint8_t>(id.begin(), id.end()), rng.random_vec(len)};
}

std::string hex(std::span<const std::uint8_t> b) {
  return Botan::hex_encode(b.data(), b.size());
}

}  // namespace

TEST_CASE(
    "openssl cms -decrypt -secretkey opens our KEKRecipientInfo for every KEK size and cipher",
    "[cms][encrypt][interop][kekri]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(3000);
  int checked = 0;
  for (std::size_t len : {16u, 24u, 32u}) {
    for (const auto& [cipher, cname] : kCiphers) {
      const auto k = kek(rng, len, "smimegw-seal:" + std::to_string(len));
      cms::EncryptOptions o;
      o.cipher = cipher;
      o.kek_recipients = {k};
      auto der = cms::encrypt(content, {}, o, rng);
      INFO(len << " " << cname);
      REQUIRE(der.ok());
      const auto in = test::tmp("kek_env");
      const auto out = test::tmp("kek_dec");
      test::write_bytes(in, *der);
      CHECK(run("openssl cms -decrypt -binary -inform DER -in " + in.string() + " -secretkey " +
                hex(k.kek) + " -secretkeyid " + hex(k.key_id) + " -out " + out.string()) == 0);
      INFO(test::last_log());
      CHECK((test::read_bytes(out) == content));
      auto mine = cms::decrypt(*der, cms::DecryptKey{k.key_id, &k.kek}, rng);
      REQUIRE(mine.ok());
      CHECK((mine->content == content));
      CHECK(mine->recipient_kind == "kekri");
      ++checked;
    }
  }
  CHECK(checked == 12);
}

TEST_CASE("we open OpenSSL's KEKRecipientInfo (-secretkey, DER and streamed BER)",
          "[cms][decrypt][interop][kekri]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(2500);
  const auto cfile = test::tmp("kek_content");
  test::write_bytes(cfile, content);
  int checked = 0;
  for (std::size_t len : {16u, 24u, 32u}) {
    for (const auto& [cipher, cname] : kCiphers) {
      for (bool stream : {false, true}) {
        const auto k = kek(rng, len, "ossl-" + std::to_string(len));
        const auto f = test::tmp("kek_oenv");
        const std::string cmd = "openssl cms -encrypt -binary " + cname + " -in " + cfile.string() +
                                " -outform DER -out " + f.string() + " -secretkey " + hex(k.kek) +
                                " -secretkeyid " + hex(k.key_id) + (stream ? " -stream" : "");
        INFO(cmd);
        REQUIRE(run(cmd) == 0);
        const auto der = test::read_bytes(f);
        auto dec = cms::decrypt(der, cms::DecryptKey{k.key_id, &k.kek}, rng);
        INFO((dec.ok() ? std::string("ok") : dec.error().code + ": " + dec.error().message));
        REQUIRE(dec.ok());
        CHECK((dec->content == content));
        CHECK(dec->cipher == cipher);
        CHECK(dec->recipient_kind == "kekri");
        ++checked;
      }
    }
  }
  CHECK(checked == 24);
}

TEST_CASE("a KEK recipient next to certificate recipients: each opens the same message",
          "[cms][encrypt][decrypt][kekri]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(4000);
  const auto& rsa = identity("rsa");
  const auto& ec = identity("p256");
  const auto k = kek(rng, 32, "gateway");
  cms::EncryptOptions o;
  o.cipher = cms::ContentCipher::aes256_gcm;
  o.kek_recipients = {k};
  auto der =
      cms::encrypt(content, {cms::RecipientSpec{rsa.cert}, cms::RecipientSpec{ec.cert}}, o, rng);
  REQUIRE(der.ok());
  for (const auto* id : {&rsa, &ec}) {
    auto mine = cms::decrypt(*der, cms::DecryptKey{id->cert, id->key.get()}, rng);
    REQUIRE(mine.ok());
    CHECK((mine->content == content));
    CHECK(mine->recipient_kind != "kekri");
  }
  auto by_kek = cms::decrypt(*der, cms::DecryptKey{k.key_id, &k.kek}, rng);
  REQUIRE(by_kek.ok());
  CHECK((by_kek->content == content));
  CHECK(by_kek->recipient_kind == "kekri");
  // OpenSSL, with the RSA key and with the secret key, reads the same message.
  const auto f = test::tmp("kek_mixed");
  const auto out = test::tmp("kek_mixed_out");
  test::write_bytes(f, *der);
  CHECK(run("openssl cms -decrypt -binary -inform DER -in " + f.string() + " -recip " +
            rsa.cert_pem.string() + " -inkey " + rsa.key_pem.string() + " -out " + out.string()) ==
        0);
  CHECK((test::read_bytes(out) == content));
  CHECK(run("openssl cms -decrypt -binary -inform DER -in " + f.string() + " -secretkey " +
            hex(k.kek) + " -secretkeyid " + hex(k.key_id) + " -out " + out.string()) == 0);
  CHECK((test::read_bytes(out) == content));
}

TEST_CASE("KEKRecipientInfo failures: wrong key, other id, bad KEK size, no recipients at all",
          "[cms][decrypt][kekri]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(500);
  const auto k = kek(rng, 32, "seal-1");
  cms::EncryptOptions o;
  o.cipher = cms::ContentCipher::aes256_cbc;
  o.kek_recipients = {k};
  auto der = cms::encrypt(content, {}, o, rng);
  REQUIRE(der.ok());

  // Same identifier, different key: the RFC 3394 integrity check fails.
  auto other = rng.random_vec(32);
  auto wrong = cms::decrypt(*der, cms::DecryptKey{k.key_id, &other}, rng);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == "decrypt_failed");
  // Another identifier: not ours.
  auto elsewhere =
      cms::decrypt(*der, cms::DecryptKey{std::vector<std::uint8_t>{1, 2}, &k.kek}, rng);
  REQUIRE_FALSE(elsewhere.ok());
  CHECK(elsewhere.error().code == "no_matching_recipient");
  // A certificate key does not match a kekri, and a KEK key does not match a ktri.
  const auto& rsa = identity("rsa");
  auto by_cert = cms::decrypt(*der, cms::DecryptKey{rsa.cert, rsa.key.get()}, rng);
  REQUIRE_FALSE(by_cert.ok());
  CHECK(by_cert.error().code == "no_matching_recipient");
  auto only_rsa = cms::encrypt(content, {cms::RecipientSpec{rsa.cert}}, cms::EncryptOptions{}, rng);
  REQUIRE(only_rsa.ok());
  auto by_kek = cms::decrypt(*only_rsa, cms::DecryptKey{k.key_id, &k.kek}, rng);
  REQUIRE_FALSE(by_kek.ok());
  CHECK(by_kek.error().code == "no_matching_recipient");
  // A KEK of a size AES key wrap has no algorithm for, an empty identifier, no recipient at all.
  cms::EncryptOptions bad = o;
  bad.kek_recipients = {kek(rng, 20, "x")};
  auto b = cms::encrypt(content, {}, bad, rng);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "invalid_argument");
  bad.kek_recipients = {cms::KekRecipient{{}, rng.random_vec(32)}};
  b = cms::encrypt(content, {}, bad, rng);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "invalid_argument");
  bad.kek_recipients.clear();
  b = cms::encrypt(content, {}, bad, rng);
  REQUIRE_FALSE(b.ok());
  CHECK(b.error().code == "invalid_argument");
  // Tampered wrapped key (last byte of the DER is inside the ciphertext for CBC; flip a byte of
  // the encryptedKey instead: it follows the wrap OID).
  const std::vector<std::uint8_t> wrap_oid{0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                           0x65, 0x03, 0x04, 0x01, 0x2d};
  auto t = *der;
  auto it = std::search(t.begin(), t.end(), wrap_oid.begin(), wrap_oid.end());
  REQUIRE(it != t.end());
  it += static_cast<long>(wrap_oid.size()) + 2 + 5;  // OCTET STRING header, into the key
  *it ^= 0x01;
  auto tampered = cms::decrypt(t, cms::DecryptKey{k.key_id, &k.kek}, rng);
  REQUIRE_FALSE(tampered.ok());
  CHECK(tampered.error().code == "decrypt_failed");
}
