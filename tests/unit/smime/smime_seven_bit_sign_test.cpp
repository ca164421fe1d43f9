// smime: signing makes the content 7-bit first (RFC 8551 §3.1.2), and the prepared-context
// overloads (smime::prepare) sign like the one-shot ones.
#include <botan/auto_rng.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "smime_test_util.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/smime/smime.hpp"

using namespace smimegw;
using test::smime_identity;

namespace {

const std::string kUtf8Text =
    "Gr\xC3\xBC\xC3\x9F"
    "e aus K\xC3\xB6ln \xE2\x80\x94 \xE2\x98\x83 na\xC3\xAFve caf\xC3\xA9\r\n"
    "Zweite Zeile mit \xC3\xA4\xC3\xB6\xC3\xBC\r\n";

std::string eight_bit_message() {
  return "From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: 8bit\r\n"
         "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: 8bit\r\n\r\n" +
         kUtf8Text;
}

bool all_7bit(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0 && c != 0; });
}

smime::Signer alice() {
  const auto& id = smime_identity("alice");
  return smime::Signer{id.cert, id.key.get()};
}

}  // namespace

TEST_CASE("an 8-bit UTF-8 body signs into a 7-bit entity that openssl cms -verify accepts") {
  Botan::AutoSeeded_RNG rng;
  auto s = smime::sign(eight_bit_message(), alice(), {}, rng);
  REQUIRE(s.ok());
  CHECK(all_7bit(*s));
  CHECK(s->find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
  CHECK(s->find("Content-Transfer-Encoding: 8bit") == std::string::npos);

  const auto dir = test::smime_work_dir();
  test::spit(dir / "8bit.signed.eml", *s);
  REQUIRE(test::sh("openssl cms -verify -in " + (dir / "8bit.signed.eml").string() + " -CAfile " +
                   test::smime_ca_pem().string() + " -out " + (dir / "8bit.content").string()) ==
          0);
  // What OpenSSL hands back is the signed entity; decoded, it is the original UTF-8 text.
  const std::string content = test::slurp(dir / "8bit.content");
  auto m = mime::parse(content);
  REQUIRE(m.ok());
  auto body = mime::decode_body(*m, m->root);
  REQUIRE(body.ok());
  CHECK(*body == kUtf8Text);

  Botan::AutoSeeded_RNG rng2;
  auto rep = smime::inspect(*s, {}, rng2);
  REQUIRE(rep.ok());
  CHECK(rep->signature_status() == "good");
}

TEST_CASE("a 7-bit message is signed unchanged, through a prepared context too") {
  Botan::AutoSeeded_RNG rng;
  const std::string msg = test::sample_message();
  auto ctx = smime::prepare(alice());
  REQUIRE(ctx.ok());
  for (int i = 0; i < 3; ++i) {  // the context is reused
    auto s = smime::sign(msg, **ctx, {});
    REQUIRE(s.ok());
    const std::string body = msg.substr(msg.find("\r\n\r\n") + 4);
    CHECK(s->find(body) != std::string::npos);  // the body went in byte for byte
    auto rep = smime::inspect(*s, {}, rng);
    REQUIRE(rep.ok());
    CHECK(rep->signature_status() == "good");
  }
  auto se = smime::sign_and_encrypt(eight_bit_message(), **ctx, {}, {smime_identity("bob").cert},
                                    {}, rng);
  REQUIRE(se.ok());
  smime::InspectOptions o;
  o.keys.emplace_back(smime_identity("bob").cert, smime_identity("bob").key.get());
  auto rep = smime::inspect(*se, o, rng);
  REQUIRE(rep.ok());
  CHECK(rep->signature_status() == "good");
  CHECK(all_7bit(rep->content));
  smime::Signer none = alice();
  none.key = nullptr;
  auto bad = smime::prepare(none);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "invalid_argument");
}
