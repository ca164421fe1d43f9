// Hostile and broken input: every failure is a distinct error code, never a crash or exception
// (the suite runs under ASan/UBSan).
#include <botan/auto_rng.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "openssl_pki.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/signed_data.hpp"

using namespace smimegw;
using smimegw::test::identity;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::size_t find(const Bytes& hay, const Bytes& needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end());
  REQUIRE(it != hay.end());
  return static_cast<std::size_t>(it - hay.begin());
}

Bytes signed_msg(bool detached, const Bytes& content, const std::string& key = "rsa") {
  Botan::AutoSeeded_RNG rng;
  const auto& id = identity(key);
  cms::SignOptions o;
  o.detached = detached;
  auto der = cms::sign(content, {cms::SignerSpec{id.cert, id.key.get()}}, o, rng);
  REQUIRE(der.ok());
  return *der;
}

Bytes enveloped(const Bytes& content, cms::ContentCipher c, const std::string& key = "rsa") {
  Botan::AutoSeeded_RNG rng;
  cms::EncryptOptions o;
  o.cipher = c;
  auto der = cms::encrypt(content, {cms::RecipientSpec{identity(key).cert}}, o, rng);
  REQUIRE(der.ok());
  return *der;
}

const std::set<std::string> kKnownCodes = {"malformed",
                                           "truncated",
                                           "limit_exceeded",
                                           "unsupported_algorithm",
                                           "unsupported_content_type",
                                           "weak_algorithm",
                                           "bad_signature",
                                           "digest_mismatch",
                                           "content_type_mismatch",
                                           "signer_cert_missing",
                                           "missing_content",
                                           "no_matching_recipient",
                                           "decrypt_failed",
                                           "bad_tag",
                                           "key_mismatch",
                                           "invalid_argument"};

}  // namespace

TEST_CASE("truncated, garbage and non-CMS input give truncated / malformed", "[cms][bad]") {
  const auto content = test::sample_content(300);
  const auto msg = signed_msg(false, content);
  for (std::size_t cut : {std::size_t{1}, std::size_t{10}, msg.size() / 2, msg.size() - 1}) {
    auto v = cms::verify(Bytes(msg.begin(), msg.begin() + static_cast<long>(cut)), std::nullopt);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == "truncated");
  }
  auto empty = cms::verify(Bytes{}, std::nullopt);
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "truncated");
  const std::string garbage = "hello, this is not CMS at all";
  auto g = cms::verify(Bytes(garbage.begin(), garbage.end()), std::nullopt);
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().code == "malformed");
  auto s = cms::verify(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}, std::nullopt);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "malformed");
  Botan::AutoSeeded_RNG rng;
  const auto& id = identity("rsa");
  auto d = cms::decrypt(Bytes(msg.begin(), msg.begin() + 40),
                        cms::DecryptKey{id.cert, id.key.get()}, rng);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "truncated");
  // trailing junk after a complete message
  auto junk = msg;
  junk.push_back(0x42);
  auto j = cms::verify(junk, std::nullopt);
  REQUIRE_FALSE(j.ok());
  CHECK(j.error().code == "malformed");
}

TEST_CASE("streamed BER truncated inside an indefinite length is truncated", "[cms][bad]") {
  const auto content = test::sample_content(300);
  const auto cfile = test::tmp("c");
  test::write_bytes(cfile, content);
  const auto& id = identity("rsa");
  const auto f = test::tmp("stream");
  REQUIRE(test::run("openssl cms -sign -binary -nodetach -stream -outform DER -in " +
                    cfile.string() + " -signer " + id.cert_pem.string() + " -inkey " +
                    id.key_pem.string() + " -out " + f.string()) == 0);
  const auto msg = test::read_bytes(f);
  REQUIRE(msg[1] == 0x80);
  auto ok = cms::verify(msg, std::nullopt);
  REQUIRE(ok.ok());
  CHECK(ok->all_valid());
  auto v = cms::verify(Bytes(msg.begin(), msg.end() - 4), std::nullopt);
  REQUIRE_FALSE(v.ok());
  CHECK(v.error().code == "truncated");
}

TEST_CASE("tampered signed content is digest_mismatch, tampered signature bad_signature",
          "[cms][bad]") {
  const auto content = test::sample_content(300);
  auto msg = signed_msg(false, content);
  auto tampered = msg;
  tampered[find(tampered, Bytes(content.begin(), content.begin() + 20)) + 5] ^= 0x01;
  auto v = cms::verify(tampered, std::nullopt);
  REQUIRE(v.ok());
  CHECK(v->signers[0].status == "digest_mismatch");
  CHECK_FALSE(v->all_valid());

  auto sig_broken = msg;
  sig_broken[sig_broken.size() - 3] ^= 0x01;
  auto b = cms::verify(sig_broken, std::nullopt);
  REQUIRE(b.ok());
  CHECK(b->signers[0].status == "bad_signature");

  const auto detached = signed_msg(true, content);
  auto other = content;
  other.back() ^= 1;
  auto d = cms::verify(detached, other);
  REQUIRE(d.ok());
  CHECK(d->signers[0].status == "digest_mismatch");
  auto missing = cms::verify(detached, std::nullopt);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "missing_content");
}

TEST_CASE("signer certificate missing, unknown digest OID, wrong content type", "[cms][bad]") {
  const auto content = test::sample_content(200);
  const auto cfile = test::tmp("c");
  test::write_bytes(cfile, content);
  const auto& id = identity("p256");
  const auto f = test::tmp("nocerts");
  REQUIRE(test::run("openssl cms -sign -binary -nocerts -outform DER -in " + cfile.string() +
                    " -signer " + id.cert_pem.string() + " -inkey " + id.key_pem.string() +
                    " -out " + f.string()) == 0);
  auto v = cms::verify(test::read_bytes(f), content);
  REQUIRE(v.ok());
  CHECK(v->signers[0].status == "signer_cert_missing");
  cms::VerifyOptions known;
  known.extra_certificates = {identity("rsa").cert, id.cert};
  auto k = cms::verify(test::read_bytes(f), content, known);
  REQUIRE(k.ok());
  CHECK(k->signers[0].status == "ok");
  CHECK(k->certificates.empty());

  // sha-256 OID 2.16.840.1.101.3.4.2.1 → .2.127 (unknown) in the SignerInfo
  auto msg = signed_msg(true, content);
  const Bytes sha256{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
  auto pos = std::search(msg.rbegin(), msg.rend(), sha256.rbegin(), sha256.rend());
  REQUIRE(pos != msg.rend());
  *pos = 0x7F;  // last byte of the last occurrence
  auto u = cms::verify(msg, content);
  REQUIRE(u.ok());
  CHECK(u->signers[0].status == "unsupported_algorithm");

  Botan::AutoSeeded_RNG rng;
  auto env = enveloped(content, cms::ContentCipher::aes256_cbc);
  auto notsigned = cms::verify(env, content);
  REQUIRE_FALSE(notsigned.ok());
  CHECK(notsigned.error().code == "unsupported_content_type");
  auto notenv =
      cms::decrypt(msg, cms::DecryptKey{identity("rsa").cert, identity("rsa").key.get()}, rng);
  REQUIRE_FALSE(notenv.ok());
  CHECK(notenv.error().code == "unsupported_content_type");
}

TEST_CASE("wrong recipient, bad GCM tag, broken key wrap, unknown cipher OID", "[cms][bad]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(1000);
  const auto& rsa = identity("rsa");
  const auto& stranger = identity("rsa2");
  const auto& ec = identity("p256");

  auto env = enveloped(content, cms::ContentCipher::aes256_cbc);
  auto w = cms::decrypt(env, cms::DecryptKey{stranger.cert, stranger.key.get()}, rng);
  REQUIRE_FALSE(w.ok());
  CHECK(w.error().code == "no_matching_recipient");
  // right certificate, wrong kind of key
  auto k = cms::decrypt(env, cms::DecryptKey{rsa.cert, ec.key.get()}, rng);
  REQUIRE_FALSE(k.ok());
  CHECK(k.error().code == "no_matching_recipient");

  for (std::string who : {"rsa", "p384"}) {
    const auto& id = identity(who);
    auto gcm = enveloped(content, cms::ContentCipher::aes128_gcm, who);
    auto tag = gcm;
    tag.back() ^= 0x01;  // the mac is the last element
    auto t = cms::decrypt(tag, cms::DecryptKey{id.cert, id.key.get()}, rng);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == "bad_tag");
    auto body = gcm;
    body[find(body, Bytes{0x80, 0x82, 0x03, 0xe8}) + 100] ^=
        0x01;  // [0] IMPLICIT ciphertext, 1000 bytes
    auto b = cms::decrypt(body, cms::DecryptKey{id.cert, id.key.get()}, rng);
    REQUIRE_FALSE(b.ok());
    CHECK(b.error().code == "bad_tag");
  }

  // ECDH: a damaged wrapped key fails the RFC 3394 integrity check deterministically.
  auto ecenv = enveloped(content, cms::ContentCipher::aes256_cbc, "p256");
  const Bytes wrapped_hdr{0x04, 0x28};  // OCTET STRING, 40 bytes: AES-256 CEK wrapped
  auto broken = ecenv;
  broken[find(broken, wrapped_hdr) + 10] ^= 0x01;
  auto bw = cms::decrypt(broken, cms::DecryptKey{ec.cert, ec.key.get()}, rng);
  REQUIRE_FALSE(bw.ok());
  CHECK(bw.error().code == "decrypt_failed");

  // aes256-CBC 2.16.840.1.101.3.4.1.42 → .1.127
  auto unknown = env;
  const Bytes aes256{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A};
  unknown[find(unknown, aes256) + 10] = 0x7F;
  auto u = cms::decrypt(unknown, cms::DecryptKey{rsa.cert, rsa.key.get()}, rng);
  REQUIRE_FALSE(u.ok());
  CHECK(u.error().code == "unsupported_algorithm");
}

TEST_CASE("limits: depth, element count and size are enforced", "[cms][bad][limits]") {
  Bytes deep;
  const int n = 200;
  for (int i = 0; i < n; ++i) {
    deep.push_back(0x30);
    deep.push_back(0x80);
  }
  for (int i = 0; i < n; ++i) {
    deep.push_back(0);
    deep.push_back(0);
  }
  auto d = cms::parse_content_info(deep);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "limit_exceeded");

  const auto content = test::sample_content(300);
  const auto msg = signed_msg(false, content);
  cms::VerifyOptions small;
  small.limits.max_input_bytes = 100;
  auto s = cms::verify(msg, std::nullopt, small);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "limit_exceeded");
  cms::VerifyOptions few;
  few.limits.max_elements = 20;
  auto f = cms::verify(msg, std::nullopt, few);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().code == "limit_exceeded");
  cms::VerifyOptions shallow;
  shallow.limits.max_depth = 3;
  auto sh = cms::verify(msg, std::nullopt, shallow);
  REQUIRE_FALSE(sh.ok());
  CHECK(sh.error().code == "limit_exceeded");
  // a length field claiming 4 GiB
  auto l = cms::parse_content_info(Bytes{0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xF0, 0x06, 0x01});
  REQUIRE_FALSE(l.ok());
  CHECK(l.error().code == "truncated");
}

TEST_CASE("random mutations of valid messages never crash and fail with a known code",
          "[cms][bad][fuzz]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(400);
  const auto& rsa = identity("rsa");
  const auto& ec = identity("p256");
  struct Seed {
    Bytes msg;
    bool sig;
    const test::Identity* id;
  };
  std::vector<Seed> seeds = {
      {signed_msg(false, content), true, &rsa},
      {signed_msg(false, content, "p256"), true, &ec},
      {enveloped(content, cms::ContentCipher::aes128_cbc), false, &rsa},
      {enveloped(content, cms::ContentCipher::aes256_gcm, "p256"), false, &ec}};
  std::mt19937 gen(12345);
  int failures = 0;
  for (const auto& s : seeds) {
    for (int i = 0; i < 300; ++i) {
      Bytes m = s.msg;
      const int kind = static_cast<int>(gen() % 4);
      const std::size_t pos = gen() % m.size();
      if (kind == 0)
        m[pos] ^= static_cast<std::uint8_t>(1u << (gen() % 8));
      else if (kind == 1)
        m.resize(pos);
      else if (kind == 2)
        m[pos] = static_cast<std::uint8_t>(gen());
      else
        m.insert(m.begin() + static_cast<long>(pos), static_cast<std::uint8_t>(gen()));
      std::string code;
      if (s.sig) {
        auto v = cms::verify(m, std::nullopt);
        if (!v.ok())
          code = v.error().code;
        else
          for (const auto& si : v->signers)
            if (!si.valid) code = si.status;
      } else {
        auto d = cms::decrypt(m, cms::DecryptKey{s.id->cert, s.id->key.get()}, rng);
        if (!d.ok()) code = d.error().code;
      }
      if (!code.empty()) {
        INFO("mutation " << i << " kind " << kind << " at " << pos << ": " << code);
        CHECK(kKnownCodes.count(code) == 1);
        ++failures;
      }
    }
  }
  CHECK(failures > 600);
}

TEST_CASE("RSA PKCS#1 v1.5 with the wrong private key fails on the content, not on the padding",
          "[cms][bad]") {
  // The rid matches (rsa's certificate) but the key is rsa2's: Botan's decrypt_or_random hands back
  // a random CEK, so the error is the same one a damaged ciphertext gives — no padding oracle.
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(600);
  const auto& rsa = identity("rsa");
  const auto& other = identity("rsa2");
  auto gcm = enveloped(content, cms::ContentCipher::aes128_gcm);
  auto g = cms::decrypt(gcm, cms::DecryptKey{rsa.cert, other.key.get()}, rng);
  REQUIRE_FALSE(g.ok());
  CHECK(g.error().code == "bad_tag");
  int failed = 0;
  for (int i = 0; i < 20; ++i) {
    auto cbc = enveloped(content, cms::ContentCipher::aes256_cbc);
    auto c = cms::decrypt(cbc, cms::DecryptKey{rsa.cert, other.key.get()}, rng);
    if (!c.ok()) {
      CHECK(c.error().code == "decrypt_failed");
      ++failed;
    } else {
      CHECK_FALSE((c->content == content));  // 1 in ~256: random key, padding happens to fit
    }
  }
  CHECK(failed >= 15);
}

TEST_CASE(
    "eContentType differing from the contentType attribute is content_type_mismatch, "
    "unusable keys are key_mismatch / invalid_argument",
    "[cms][bad]") {
  const auto content = test::sample_content(300);
  auto msg = signed_msg(false, content);
  const Bytes id_data{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
  msg[find(msg, id_data) + 10] = 0x05;  // the first id-data is the eContentType → id-digestedData
  auto v = cms::verify(msg, std::nullopt);
  REQUIRE(v.ok());
  CHECK(v->content_type == "1.2.840.113549.1.7.5");
  CHECK(v->signers[0].status == "content_type_mismatch");

  Botan::AutoSeeded_RNG rng;
  const auto& ed = identity("ed25519");
  auto e = cms::encrypt(content, {cms::RecipientSpec{ed.cert}}, cms::EncryptOptions{}, rng);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == "key_mismatch");
  auto none = cms::encrypt(content, {}, cms::EncryptOptions{}, rng);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == "invalid_argument");
  auto nos = cms::sign(content, {}, cms::SignOptions{}, rng);
  REQUIRE_FALSE(nos.ok());
  CHECK(nos.error().code == "invalid_argument");
  cms::EncryptOptions des;
  des.cipher = cms::ContentCipher::des3_cbc;
  auto d = cms::encrypt(content, {cms::RecipientSpec{identity("rsa").cert}}, des, rng);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "unsupported_algorithm");
}
