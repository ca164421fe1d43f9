// Sign-then-encrypt at the CMS level, both directions, and PEM-armoured input.
#include <botan/auto_rng.h>

#include <catch2/catch.hpp>

#include "openssl_pki.hpp"
#include "smimegw/cms/content_info.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/signed_data.hpp"

using namespace smimegw;
using smimegw::test::identity;
using smimegw::test::run;

TEST_CASE("sign then encrypt: ours opened and verified by OpenSSL, OpenSSL's by us",
          "[cms][interop][nested]") {
  Botan::AutoSeeded_RNG rng;
  const auto content = test::sample_content(4000);
  const auto& signer = identity("p384");
  const auto& rcpt = identity("rsa");
  cms::SignOptions so;
  so.detached = false;
  auto sig = cms::sign(content, {cms::SignerSpec{signer.cert, signer.key.get()}}, so, rng);
  REQUIRE(sig.ok());
  cms::EncryptOptions eo;
  eo.cipher = cms::ContentCipher::aes128_gcm;
  auto env = cms::encrypt(*sig, {cms::RecipientSpec{rcpt.cert}}, eo, rng);
  REQUIRE(env.ok());
  const auto f = test::tmp("nested");
  const auto inner = test::tmp("nested_inner");
  const auto out = test::tmp("nested_out");
  test::write_bytes(f, *env);
  REQUIRE(run("openssl cms -decrypt -binary -inform DER -in " + f.string() + " -recip " +
              rcpt.cert_pem.string() + " -inkey " + rcpt.key_pem.string() + " -out " +
              inner.string()) == 0);
  CHECK(run("openssl cms -verify -binary -noverify -inform DER -in " + inner.string() + " -out " +
            out.string()) == 0);
  CHECK((test::read_bytes(out) == content));

  const auto cfile = test::tmp("content");
  test::write_bytes(cfile, content);
  const auto osig = test::tmp("onested_sig");
  const auto oenv = test::tmp("onested_env");
  REQUIRE(run("openssl cms -sign -binary -nodetach -outform DER -in " + cfile.string() +
              " -signer " + signer.cert_pem.string() + " -inkey " + signer.key_pem.string() +
              " -out " + osig.string()) == 0);
  REQUIRE(run("openssl cms -encrypt -binary -aes-256-cbc -inform DER -outform DER -in " +
              osig.string() + " -out " + oenv.string() + " -recip " + rcpt.cert_pem.string()) == 0);
  auto dec = cms::decrypt(test::read_bytes(oenv), cms::DecryptKey{rcpt.cert, rcpt.key.get()}, rng);
  REQUIRE(dec.ok());
  auto v = cms::verify(dec->content, std::nullopt);
  REQUIRE(v.ok());
  CHECK(v->all_valid());
  REQUIRE(v->content.has_value());
  CHECK((*v->content == content));
}

TEST_CASE("PEM-armoured CMS is unwrapped and broken PEM is an error", "[cms][pem]") {
  const auto content = test::sample_content(300);
  const auto cfile = test::tmp("content");
  test::write_bytes(cfile, content);
  const auto& id = identity("rsa");
  const auto pem = test::tmp("pem");
  REQUIRE(run("openssl cms -sign -binary -nodetach -outform PEM -in " + cfile.string() +
              " -signer " + id.cert_pem.string() + " -inkey " + id.key_pem.string() + " -out " +
              pem.string()) == 0);
  auto der = cms::pem_to_der(test::read_bytes(pem));
  REQUIRE(der.ok());
  auto ci = cms::parse_content_info(*der);
  REQUIRE(ci.ok());
  CHECK(ci->content_type == "1.2.840.113549.1.7.2");
  auto v = cms::verify(*der, std::nullopt);
  REQUIRE(v.ok());
  CHECK(v->all_valid());
  // DER passes through unchanged
  auto same = cms::pem_to_der(*der);
  REQUIRE(same.ok());
  CHECK((*same == *der));
  const std::string cut = "-----BEGIN CMS-----\nMIAGCSqG\n";
  auto bad = cms::pem_to_der(std::vector<std::uint8_t>(cut.begin(), cut.end()));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "truncated");
}
