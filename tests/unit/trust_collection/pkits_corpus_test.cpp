// Every certificate of the NIST PKITS corpus (../shared/corpus/botan-x509-nist-pkits) goes through
// the import: each gets an outcome, nothing crashes; at 2010-01-01 the root is added as a root and
// the end-entity certificates are refused as not_ca.
#include <catch2/catch.hpp>
#include <filesystem>

#include "collection_test_util.hpp"
#include "smimegw/trust/collection.hpp"
#include "test_env.hpp"

using namespace smimegw;

TEST_CASE("PKITS corpus: every certificate gets an outcome; root added, leaves not_ca") {
  auto dir = test::shared_dir() / "corpus" / "botan-x509-nist-pkits";
  REQUIRE(std::filesystem::exists(dir / "root.crt"));
  test::MemoryAnchorStore store;
  core::ManualClock at_2010(std::chrono::system_clock::from_time_t(1262304000));  // 2010-01-01
  trust::Collection coll(store, at_2010);
  auto root_text = test::read_file(dir / "root.crt");
  auto root = coll.import(test::Bytes(root_text.begin(), root_text.end()), "pkits");
  REQUIRE(root.ok());
  REQUIRE(root->items.size() == 1);
  CHECK(root->items[0].status == "added");
  CHECK(root->items[0].is_root);

  std::map<std::string, int> by_status;
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() != ".crt") continue;
    ++files;
    auto text = test::read_file(e.path());
    auto r = coll.import(test::Bytes(text.begin(), text.end()), "pkits");
    REQUIRE(r.ok());
    REQUIRE(r->items.size() == 1);
    const auto& o = r->items[0];
    ++by_status[o.status];
    if (e.path().filename() == "end.crt") {
      // test55..63 are path-length tests whose "end" certificate is itself a CA.
      INFO(e.path());
      CHECK((o.status == "not_ca" || (o.status == "added" && !o.is_root)));
    }
    CHECK(o.status != "unparsable");  // e.g. test07: a CA valid from 1950 is readable
  }
  CHECK(files > 100);
  CHECK(by_status["not_ca"] > 50);
  CHECK(by_status["added"] > 20);
  CHECK(by_status["duplicate"] >= 1);  // root.crt itself, imported again
  for (const auto& [status, n] : by_status) UNSCOPED_INFO(status << ": " << n);
}
