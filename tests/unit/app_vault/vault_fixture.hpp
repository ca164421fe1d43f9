// Shared fixture of the certificate-service and key-vault tests: a migrated scratch database with
// two users, a small CA made with Botan, PKCS#12 files made by cms::export_pkcs12 (the format
// OpenSSL reads, proven in test_cms_pkcs12), a key vault on an in-memory KEK and the real service.
#pragma once

#include <botan/auto_rng.h>
#include <botan/base64.h>
#include <botan/hex.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509_ca.h>
#include <botan/x509self.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <memory>
#include <optional>

#include "run_sync.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/key_rotation.hpp"
#include "test_env.hpp"

namespace vtest {

using namespace smimegw;
using Clock = std::chrono::system_clock;

using smimegw::test::run;

// Deliberately never destroyed: Botan's locked-memory pool may be gone by then.
inline Botan::RandomNumberGenerator& rng() {
  static auto* r = new Botan::AutoSeeded_RNG;
  return *r;
}

/// RSA keys are slow to make under ASan: a few are made once and reused.
inline std::shared_ptr<Botan::Private_Key> key(int n) {
  static auto* keys = new std::vector<std::shared_ptr<Botan::Private_Key>>;  // never destroyed
  while (static_cast<int>(keys->size()) <= n)
    keys->push_back(std::make_shared<Botan::RSA_PrivateKey>(rng(), 2048));
  return (*keys)[n];
}

struct Issued {
  std::shared_ptr<Botan::Private_Key> key;
  Botan::X509_Certificate cert;
};

class Pki {
 public:
  explicit Pki(int key_index, const std::string& name = "Vault Test CA") {
    ca_key_ = key(key_index);
    Botan::X509_Cert_Options o(name + "/US/Test/CA", 3650u * 86400u);
    o.CA_key();
    o.start = Botan::X509_Time(Clock::now() - std::chrono::hours(24));
    ca_cert_ = Botan::X509::create_self_signed_cert(o, *ca_key_, "SHA-256", rng());
    ca_ = std::make_unique<Botan::X509_CA>(*ca_cert_, *ca_key_, "SHA-256", rng());
  }
  const Botan::X509_Certificate& root() const { return *ca_cert_; }

  /// usage: "sign", "encrypt" or "both"; `days` of validity from one hour ago.
  Issued issue(const std::string& email, const std::string& usage, int key_index,
               int days = 365) const {
    auto k = key(key_index);
    Botan::X509_Cert_Options o(email + "/US/Test/Users");
    o.email = email;
    Botan::Key_Constraints ku = Botan::NO_CONSTRAINTS;
    if (usage != "encrypt") ku = Botan::Key_Constraints(ku | Botan::DIGITAL_SIGNATURE);
    if (usage != "sign") ku = Botan::Key_Constraints(ku | Botan::KEY_ENCIPHERMENT);
    o.add_constraints(ku);
    o.add_ex_constraint("PKIX.EmailProtection");
    auto req = Botan::X509::create_cert_req(o, *k, "SHA-256", rng());
    auto cert =
        ca_->sign_request(req, rng(), Botan::X509_Time(Clock::now() - std::chrono::hours(1)),
                          Botan::X509_Time(Clock::now() + std::chrono::hours(24 * days)));
    return {k, cert};
  }

 private:
  std::shared_ptr<Botan::Private_Key> ca_key_;
  std::optional<Botan::X509_Certificate> ca_cert_;
  std::unique_ptr<Botan::X509_CA> ca_;
};

inline std::vector<std::uint8_t> p12_of(const std::vector<Issued>& items,
                                        const std::string& password,
                                        std::vector<Botan::X509_Certificate> chain = {}) {
  std::vector<cms::Pkcs12ExportEntry> entries;
  for (const auto& i : items) entries.push_back({i.key.get(), &i.cert, "test"});
  cms::Pkcs12ExportOptions opt;
  opt.pbkdf2_iterations = opt.mac_iterations = 2048;
  opt.chain = std::move(chain);
  auto pfx = cms::export_pkcs12(entries, password, rng(), opt);
  REQUIRE(pfx.ok());
  return *pfx;
}

inline std::vector<std::uint8_t> pkcs8_of(const Issued& i) {
  auto der = Botan::PKCS8::BER_encode(*i.key);
  return {der.begin(), der.end()};
}

inline directory::KeyVault vault_of(std::uint8_t fill) {
  auto v = directory::KeyVault::from_bytes(std::vector<std::uint8_t>(32, fill));
  REQUIRE(v.ok());
  return std::move(*v);
}

struct Fixture {
  test::ScratchDatabase scratch;
  db::Pool pool{{.url = scratch.url()}, 2};
  db::PgUserStore users{pool};
  db::PgCertificateStore certs{pool};
  Pki pki{0};
  trust::Validator validator;
  directory::KeyVault vault = vault_of(1);
  core::SystemClock clock;
  directory::CertificateServiceOptions options;
  std::unique_ptr<directory::CertificateService> service;

  static trust::ValidatorOptions offline() {
    trust::ValidatorOptions o;
    o.fetch_aia = o.fetch_crls = false;
    o.cache_capacity = 0;
    return o;
  }

  Fixture() : validator(std::vector<Botan::X509_Certificate>{pki.root()}, nullptr, offline()) {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    directory::User alice;
    alice.address = "alice@contoso.test";
    alice.display_name = "Alice";
    alice.proxy_addresses = {"a.smith@contoso.test"};
    REQUIRE(run(users.create(alice)).ok());
    directory::User bob;
    bob.address = "bob@contoso.test";
    REQUIRE(run(users.create(bob)).ok());
    options.revocation = trust::RevocationMode::off;
    rebuild();
  }

  void rebuild(const directory::KeyVault* v = nullptr) {
    service = std::make_unique<directory::CertificateService>(users, certs, validator,
                                                              v ? v : &vault, clock, options);
  }

  core::Result<std::vector<directory::ImportedCertificate>> import(
      const std::string& address, const std::vector<Issued>& items, bool force = false,
      const std::string& password = "p12-pass", const std::string& given = "p12-pass",
      std::vector<Botan::X509_Certificate> chain = {}) {
    return run(service->import_pkcs12(address, p12_of(items, password, std::move(chain)), given,
                                      force, "test"));
  }

  std::string sql1(const std::string& q) {
    auto r = pool.transact_blocking([&](pqxx::work& tx) {
      auto row = tx.exec1(q);
      return row[0].is_null() ? std::string() : row[0].as<std::string>();
    });
    REQUIRE(r.ok());
    return *r;
  }
};

}  // namespace vtest
