// Collection::import: one outcome per certificate (added, duplicate, expired, not_ca, unparsable,
// not_certificate), roots vs intermediates, store failures.
#include "smimegw/trust/collection.hpp"

#include <botan/hash.h>
#include <botan/hex.h>

#include <catch2/catch.hpp>

#include "collection_test_util.hpp"

using namespace smimegw;
using test::Bytes;

namespace {
Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}
}  // namespace

TEST_CASE("import reports every certificate of a mixed bundle with its own status") {
  test::MemoryAnchorStore store;
  core::SystemClock clock;
  trust::Collection coll(store, clock);
  auto [root, inter] = test::make_root_and_intermediate("Mixed");
  auto expired = test::make_self_signed("Expired CA", true, std::chrono::hours(-24 * 400),
                                        std::chrono::hours(-24 * 30));
  auto leaf = test::make_self_signed("Not a CA", false, std::chrono::hours(-1),
                                     std::chrono::hours(24 * 30));
  auto future = test::make_self_signed("Future CA", true, std::chrono::hours(24 * 10),
                                       std::chrono::hours(24 * 400));
  std::string text = root.pem() + inter.pem() + root.pem() + expired.pem() + leaf.pem() +
                     "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n" +
                     "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n" + future.pem();
  auto r = coll.import(bytes_of(text), "alice");
  REQUIRE(r.ok());
  REQUIRE(r->items.size() == 8);
  std::vector<std::string> statuses;
  for (const auto& o : r->items) statuses.push_back(o.status);
  CHECK(statuses == std::vector<std::string>{"added", "added", "duplicate", "expired", "not_ca",
                                             "unparsable", "not_certificate", "added"});
  CHECK(r->items[0].is_root);
  CHECK(r->items[0].detail == "root");
  CHECK_FALSE(r->items[1].is_root);
  CHECK(r->items[1].detail == "intermediate");
  CHECK(r->items[2].id == r->items[0].id);
  CHECK(r->items[2].detail.find("as id 1") != std::string::npos);
  CHECK(r->items[3].detail.find("expired") == 0);
  CHECK(r->items[7].detail.find("not valid before") != std::string::npos);
  CHECK(r->added() == 3);

  auto listed = coll.list(false);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 3);
  const auto& first = listed->front();
  CHECK(first.subject == "O=smimegw tests, C=US, CN=Mixed Root");
  CHECK(first.issuer == first.subject);
  CHECK(first.added_by == "alice");
  CHECK(first.der == root.der());
  CHECK(first.sha256.size() == 64);
  CHECK((*listed)[1].issuer == "O=smimegw tests, C=US, CN=Mixed Root");
}

TEST_CASE("describe_certificate: thumbprint, root detection, CA flag, validity") {
  auto root = test::make_root("Facts");
  auto f = trust::describe_certificate(root.der());
  REQUIRE(f.ok());
  CHECK(f->is_ca);
  CHECK(f->anchor.is_root);
  auto sha = Botan::HashFunction::create_or_throw("SHA-256");
  CHECK(f->anchor.sha256 == Botan::hex_encode(sha->process(root.der()), false));
  CHECK(f->anchor.not_after > std::chrono::system_clock::now());
  CHECK(trust::describe_certificate(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}).error().code ==
        "unparsable");
}

TEST_CASE("enable, disable and remove go to the store; the generation moves") {
  test::MemoryAnchorStore store;
  core::SystemClock clock;
  trust::Collection coll(store, clock);
  auto root = test::make_root("Gen");
  auto g0 = coll.generation();
  REQUIRE(coll.import(root.der(), "t").ok());
  CHECK(*coll.generation() > *g0);
  REQUIRE(coll.set_enabled(1, false).ok());
  CHECK(coll.list(true)->empty());
  CHECK(coll.list(false)->size() == 1);
  CHECK(coll.remove(1).ok());
  CHECK(coll.remove(1).error().code == "not_found");
}

TEST_CASE("a store failure ends the import with the store's error") {
  test::MemoryAnchorStore store;
  core::SystemClock clock;
  trust::Collection coll(store, clock);
  store.fail_next_add = true;
  auto r = coll.import(test::make_root("Fail").der(), "t");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "db_unavailable");
}

TEST_CASE("expiry is judged by the collection's clock") {
  test::MemoryAnchorStore store;
  auto root = test::make_root("Clock");
  core::ManualClock later(std::chrono::system_clock::now() + std::chrono::hours(24 * 400));
  trust::Collection coll(store, later);
  auto r = coll.import(root.der(), "t");
  REQUIRE(r.ok());
  CHECK(r->items.at(0).status == "expired");
}
