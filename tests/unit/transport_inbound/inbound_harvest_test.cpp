// Harvesting on inbound mail against the real PostgreSQL certificate store: a passing signer's
// certificate becomes an installed certificate (source harvested) of the recipient; a failing
// one does not.
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>

#include "inbound_fixture.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/db/pool.hpp"
#include "test_env.hpp"

using namespace smimegw;
using namespace smimegw::test;

namespace {

template <class T>
T await(asio::awaitable<T> task) {
  asio::io_context io;
  auto fut = asio::co_spawn(
      io,
      [t = std::move(task)]() mutable -> asio::awaitable<std::optional<T>> {
        co_return co_await std::move(t);
      },
      asio::use_future);
  io.run();
  return std::move(*fut.get());
}

struct Db {
  ScratchDatabase scratch;
  db::Pool pool{{.url = scratch.url()}, 2};
  db::PgUserStore users{pool};
  db::PgCertificateStore certificates{pool};
  core::SystemClock clock;
  std::unique_ptr<directory::CertificateService> service;
  std::int64_t bob_id = 0;

  Db() {
    auto conn = db::connect({.url = scratch.url()});
    REQUIRE(conn.ok());
    REQUIRE(db::migrate(**conn).ok());
    directory::User bob;
    bob.address = "bob@example.com";
    auto id = await(users.create(bob));
    REQUIRE(id.ok());
    bob_id = *id;
  }

  directory::CertificateService* make(trust::Validator& v) {
    directory::CertificateServiceOptions o;
    o.revocation = trust::RevocationMode::off;
    service =
        std::make_unique<directory::CertificateService>(users, certificates, v, nullptr, clock, o);
    return service.get();
  }
};

}  // namespace

TEST_CASE("a passing signer's certificate is harvested for the recipient, a failing one not",
          "[inbound]") {
  Db d;
  Rig rig(trust::RevocationMode::off, [&d](trust::Validator& v) { return d.make(v); });
  auto copy = rig.run(signed_by("alice", "alice@example.com"));
  REQUIRE(copy);
  auto failed = rig.run(signed_by("alice", "carol@example.com"));
  REQUIRE(failed);
  auto installed = await(d.certificates.list_installed(d.bob_id));
  REQUIRE(installed);
  REQUIRE(installed->size() == 1);
  CHECK((*installed)[0].address == "alice@example.com");
  CHECK((*installed)[0].source == "harvested");
  CHECK((*installed)[0].thumbprint ==
        directory::thumbprint_of(identity("alice").cert.BER_encode()));
  const auto* ev = rig.trace.find("harvested");
  REQUIRE(ev);
  CHECK(ev->detail_json.find("\"outcome\":\"added\"") != std::string::npos);
}
