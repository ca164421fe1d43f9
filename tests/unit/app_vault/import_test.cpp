// PKCS#12 import, readiness, export and harvesting through directory::CertificateService against
// the real database.
#include "vault_fixture.hpp"

using namespace vtest;
using directory::CertUsage;

TEST_CASE("a dual-use certificate makes the user S/MIME-ready; no key byte is stored in clear") {
  Fixture f;
  auto alice = f.pki.issue("alice@contoso.test", "both", 1);
  auto r = f.import("alice@contoso.test", {alice});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].usage == CertUsage::both);
  CHECK_FALSE((*r)[0].forced);
  CHECK((*r)[0].thumbprint == directory::thumbprint_of(alice.cert.BER_encode()));

  auto rep = run(f.service->report("a.smith@contoso.test"));  // by proxy address
  REQUIRE(rep.ok());
  CHECK(rep->user.address == "alice@contoso.test");
  REQUIRE(rep->certificates.size() == 1);
  CHECK(rep->certificates[0].can_sign);
  CHECK(rep->certificates[0].can_encrypt);
  CHECK(rep->certificates[0].certificate.source == "pkcs12");
  CHECK(rep->certificates[0].certificate.has_private_key);
  CHECK(rep->readiness.ready);
  CHECK(rep->readiness.missing.empty());

  // The raw row, every column as PostgreSQL prints it, and the raw bytea columns: neither the
  // PKCS#8 DER nor its base64/hex (nor a 24-byte window of it) appears anywhere.
  auto pkcs8 = pkcs8_of(alice);
  auto row_text = f.sql1("SELECT c::text FROM user_certificates c");
  auto hex = Botan::hex_encode(pkcs8, false);
  auto b64 = Botan::base64_encode(pkcs8);
  CHECK(row_text.find(hex.substr(200, 48)) == std::string::npos);
  CHECK(row_text.find(b64.substr(100, 32)) == std::string::npos);
  auto raw = f.pool.transact_blocking([](pqxx::work& tx) {
    auto row = tx.exec1("SELECT der, wrapped_key FROM user_certificates");
    pqxx::binarystring a(row[0]), b(row[1]);
    std::string all(a.str());
    return all + b.str();
  });
  REQUIRE(raw.ok());
  for (std::size_t off = 0; off + 24 <= pkcs8.size(); off += 24)
    CHECK(raw->find(std::string(pkcs8.begin() + off, pkcs8.begin() + off + 24)) ==
          std::string::npos);
  CHECK(raw->find(b64.substr(0, 40)) == std::string::npos);
  CHECK(f.sql1("SELECT kek_id FROM user_certificates") == f.vault.kek_id());
  CHECK(f.sql1("SELECT action FROM audit_log") == "user_certificate.import");
}

TEST_CASE("separate signing and encryption certificates: readiness says which part is missing") {
  Fixture f;
  auto sign = f.pki.issue("alice@contoso.test", "sign", 1);
  auto enc = f.pki.issue("a.smith@contoso.test", "encrypt", 2);
  REQUIRE(f.import("alice@contoso.test", {sign}).ok());
  auto half = run(f.service->report("alice@contoso.test"));
  REQUIRE(half.ok());
  CHECK_FALSE(half->readiness.ready);
  CHECK(half->readiness.can_sign);
  CHECK(half->readiness.missing == "encryption");

  auto r = f.import("alice@contoso.test", {enc});
  REQUIRE(r.ok());
  CHECK((*r)[0].usage == CertUsage::encrypt);
  auto full = run(f.service->report("alice@contoso.test"));
  REQUIRE(full.ok());
  CHECK(full->readiness.ready);
  CHECK(full->certificates.size() == 2);

  auto bob = run(f.service->report("bob@contoso.test"));
  REQUIRE(bob.ok());
  CHECK(bob->readiness.missing == "signing and encryption");
  // importing the same file again is refused as a duplicate
  CHECK(f.import("alice@contoso.test", {enc}).error().code == "db_duplicate");
}

TEST_CASE("a certificate for another address is refused, even with force") {
  Fixture f;
  auto carol = f.pki.issue("carol@contoso.test", "both", 1);
  for (bool force : {false, true}) {
    auto r = f.import("alice@contoso.test", {carol}, force);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "address_mismatch");
    CHECK(r.error().message.find("carol@contoso.test") != std::string::npos);
  }
  CHECK(f.sql1("SELECT count(*) FROM user_certificates") == "0");
  CHECK(f.import("nobody@contoso.test", {carol}).error().code == "not_found");
}

TEST_CASE("an untrusted certificate is refused with its code; --force stores it and records why") {
  Fixture f;
  Pki other(3, "Unknown CA");
  auto alice = other.issue("alice@contoso.test", "both", 1);
  // the file carries its (unknown) root, as real exports do
  auto refused = f.import("alice@contoso.test", {alice}, false, "p", "p", {other.root()});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "untrusted");
  CHECK(refused.error().message.find("untrusted_root") != std::string::npos);
  CHECK(f.sql1("SELECT count(*) FROM user_certificates") == "0");

  auto forced = f.import("alice@contoso.test", {alice}, true, "p", "p", {other.root()});
  REQUIRE(forced.ok());
  CHECK((*forced)[0].forced);
  CHECK((*forced)[0].codes == std::vector<std::string>{"untrusted_root"});
  CHECK(f.sql1("SELECT forced FROM user_certificates") == "t");
  CHECK(f.sql1("SELECT action FROM audit_log") == "user_certificate.import_forced");
  CHECK(f.sql1("SELECT detail->>'forced' FROM audit_log") == "true");
  CHECK(f.sql1("SELECT detail->'codes'->>0 FROM audit_log") == "untrusted_root");
  // a forced certificate is shown but does not make the user ready
  auto rep = run(f.service->report("alice@contoso.test"));
  REQUIRE(rep.ok());
  CHECK(rep->certificates[0].certificate.forced);
  CHECK_FALSE(rep->readiness.ready);
  CHECK(rep->certificates[0].errors == std::vector<std::string>{"untrusted_root"});
}

TEST_CASE("a wrong PKCS#12 password is a clear error and stores nothing") {
  Fixture f;
  auto alice = f.pki.issue("alice@contoso.test", "both", 1);
  auto r = f.import("alice@contoso.test", {alice}, false, "right-password", "wrong-password");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "wrong_password");
  CHECK(f.sql1("SELECT count(*) FROM user_certificates") == "0");
}

TEST_CASE("a certificate expiring within 30 days is flagged in readiness") {
  Fixture f;
  auto alice = f.pki.issue("alice@contoso.test", "both", 1, 10);
  REQUIRE(f.import("alice@contoso.test", {alice}).ok());
  auto rep = run(f.service->report("alice@contoso.test"));
  REQUIRE(rep.ok());
  CHECK(rep->readiness.ready);
  REQUIRE(rep->readiness.warnings.size() == 1);
  CHECK(rep->readiness.warnings[0].find("expires in 9 days") != std::string::npos);
  CHECK(rep->certificates[0].expiring_soon);
}

TEST_CASE("export holds the current signing and encryption keys and is audit-logged") {
  Fixture f;
  auto sign = f.pki.issue("alice@contoso.test", "sign", 1);
  auto enc = f.pki.issue("alice@contoso.test", "encrypt", 2);
  REQUIRE(f.import("alice@contoso.test", {sign}).ok());
  REQUIRE(f.import("alice@contoso.test", {enc}).ok());
  CHECK(run(f.service->export_pkcs12("alice@contoso.test", "short", "t")).error().code ==
        "weak_password");
  auto out = run(f.service->export_pkcs12("alice@contoso.test", "device-password", "test"));
  REQUIRE(out.ok());
  CHECK(out->thumbprints.size() == 2);
  auto back = cms::parse_pkcs12(out->pfx, "device-password");
  REQUIRE(back.ok());
  REQUIRE(back->entries.size() == 2);
  for (const auto& e : back->entries) {
    REQUIRE(e.certificate);
    CHECK(e.private_key->public_key_bits() ==
          e.certificate->load_subject_public_key()->public_key_bits());
  }
  CHECK(f.sql1("SELECT count(*) FROM audit_log WHERE action = 'user_certificate.export'") == "1");
  CHECK(f.sql1("SELECT detail->'thumbprints'->>0 FROM audit_log WHERE action = "
               "'user_certificate.export'")
            .size() == 40);
  CHECK(run(f.service->export_pkcs12("bob@contoso.test", "device-password", "t")).error().code ==
        "no_keys");
}

TEST_CASE("harvesting adds a contact's certificate once and never shadows a GAL user") {
  Fixture f;
  auto carol = f.pki.issue("Carol@Example.ORG", "both", 1);
  auto outcome = run(f.service->harvest("alice@contoso.test", carol.cert.BER_encode()));
  REQUIRE(outcome.ok());
  CHECK(*outcome == directory::HarvestOutcome::added);
  CHECK(*run(f.service->harvest("a.smith@contoso.test", carol.cert.BER_encode())) ==
        directory::HarvestOutcome::already_installed);
  auto found = run(f.certs.installed_certificates("alice@contoso.test", "carol@example.org"));
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].source == "harvested");

  auto bob = f.pki.issue("bob@contoso.test", "both", 2);
  CHECK(*run(f.service->harvest("alice@contoso.test", bob.cert.BER_encode())) ==
        directory::HarvestOutcome::gal_user);
  CHECK(f.sql1("SELECT count(*) FROM installed_certificates") == "1");
  CHECK(run(f.service->harvest("nobody@contoso.test", carol.cert.BER_encode())).error().code ==
        "not_found");

  f.options.harvest = false;
  f.rebuild();
  auto dave = f.pki.issue("dave@example.org", "both", 2);
  CHECK(*run(f.service->harvest("alice@contoso.test", dave.cert.BER_encode())) ==
        directory::HarvestOutcome::disabled);
  CHECK(f.sql1("SELECT count(*) FROM installed_certificates") == "1");
}
