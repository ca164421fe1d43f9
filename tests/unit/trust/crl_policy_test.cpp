// trust: CRL signature hash strength — a SHA-1-signed CRL is refused (crl_weak_algorithm, then
// revocation_unknown) unless SHA-1 is accepted.
#include <botan/auto_rng.h>
#include <botan/x509_ca.h>

#include <catch2/catch.hpp>

#include "smimegw/trust/validator.hpp"
#include "test_pki.hpp"

using namespace smimegw;
using namespace std::chrono_literals;

TEST_CASE("a SHA-1-signed CRL is crl_weak_algorithm unless SHA-1 is accepted") {
  const auto at = std::chrono::sys_days{std::chrono::year{2030} / 6 / 1};
  test::CertSpec r{.cn = "Weak CRL Root", .ca = true};
  r.not_before = at - 3650 * 24h;
  r.not_after = at + 3650 * 24h;
  auto root = test::issue(r, nullptr);
  test::CertSpec l{.cn = "bob"};
  l.email = "bob@example.com";
  l.not_before = at - 24h;
  l.not_after = at + 365 * 24h;
  auto bob = test::issue(l, &root);

  Botan::AutoSeeded_RNG rng;
  // explicit padding: Botan 2.19 otherwise derives an ECDSA padding whose hash differs
  Botan::X509_CA sha1_ca(root.cert, *root.key, {{"padding", "EMSA1(SHA-160)"}}, "SHA-160", rng);
  auto weak = sha1_ca.new_crl(rng, at - 1h, std::chrono::seconds(7 * 24 * 3600)).BER_encode();
  trust::ValidationRequest req;
  req.certificate = bob.cert;
  req.at = at;
  req.operation = trust::Operation::verify_signature;

  trust::ValidatorOptions o;
  o.fetch_crls = false;
  trust::Validator strict({root.cert}, nullptr, o);
  REQUIRE(strict.crls().add(weak, "sha1.crl"));
  auto res = strict.validate(req);
  CHECK_FALSE(res.valid);
  CHECK(res.error_codes() == std::vector<std::string>{"crl_weak_algorithm", "revocation_unknown"});

  // a SHA-256 CRL next to it decides
  trust::Validator mixed({root.cert}, nullptr, o);
  REQUIRE(mixed.crls().add(weak, "sha1.crl"));
  REQUIRE(mixed.crls().add(test::make_crl(root, {}, at - 2h, at + 24h), "sha256.crl"));
  CHECK(mixed.validate(req).valid);

  o.accept_sha1 = true;
  trust::Validator lenient({root.cert}, nullptr, o);
  REQUIRE(lenient.crls().add(weak, "sha1.crl"));
  auto ok = lenient.validate(req);
  CHECK(ok.valid);
  REQUIRE(ok.revocation_sources.size() == 1);
  CHECK(ok.revocation_sources[0].find("source=sha1.crl") != std::string::npos);
}
