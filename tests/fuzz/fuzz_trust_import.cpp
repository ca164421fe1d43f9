// libFuzzer target: trust_import (scripts/fuzz.sh trust_import SECONDS) — the trust collection's
// import of certificate files: PEM bundles, DER, PKCS#7/CMS certs-only (.p7b/.p7c) and Microsoft
// serialized stores (.sst), then every entry through the collection's import (describe, CA check,
// expiry at a fixed clock) into an in-memory AnchorStore, and the certificate-file reader
// (cert_io). Checked: extraction respects the item limit, every import outcome has a known status,
// an item is "added" only when it was stored, and importing the same file again adds nothing.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "smimegw/core/clock.hpp"
#include "smimegw/trust/cert_io.hpp"
#include "smimegw/trust/collection.hpp"
#include "smimegw/trust/import.hpp"

namespace {

using namespace smimegw;
using namespace smimegw::trust;

void check(bool ok) {
  if (!ok) std::abort();
}

struct MemoryStore : AnchorStore {
  std::map<std::int64_t, StoredAnchor> rows;
  std::int64_t next = 1, gen = 0;
  core::Result<std::int64_t> add(const StoredAnchor& a) override {
    for (const auto& [id, r] : rows)
      if (r.sha256 == a.sha256) return core::Error::make("db_duplicate", "exists");
    check(!a.der.empty() && !a.sha256.empty());
    StoredAnchor s = a;
    s.id = next++;
    rows[s.id] = s;
    ++gen;
    return s.id;
  }
  core::Result<std::vector<StoredAnchor>> list(bool) override {
    std::vector<StoredAnchor> out;
    for (const auto& [id, r] : rows) out.push_back(r);
    return out;
  }
  core::Result<std::optional<StoredAnchor>> find(std::int64_t id) override {
    auto it = rows.find(id);
    if (it == rows.end()) return std::optional<StoredAnchor>();
    return std::optional<StoredAnchor>(it->second);
  }
  core::Status set_enabled(std::int64_t, bool) override { return core::Status(); }
  core::Status remove(std::int64_t id) override {
    rows.erase(id);
    return core::Status();
  }
  core::Result<std::int64_t> generation() override { return gen; }
};

const std::set<std::string> kStatuses = {"added",  "duplicate",  "expired",
                                         "not_ca", "unparsable", "not_certificate"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 262144) return 0;
  const std::span<const std::uint8_t> in(data, size);
  ImportLimits limits;
  limits.max_items = 64;
  auto ex = extract_certificates(in, limits);
  if (ex) check(ex->items.size() <= limits.max_items);
  (void)extract_pkcs7(in, limits);
  (void)extract_serialized_store(in, limits);
  (void)parse_certificates(in);

  MemoryStore store;
  core::ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1767225600)));
  Collection c(store, clock);
  auto report = c.import(in, "fuzz", limits);
  check(report.ok() == ex.ok());
  if (!report) return 0;
  std::size_t added = 0;
  for (const auto& o : report->items) {
    check(kStatuses.count(o.status) == 1);
    if (o.status == "added") {
      ++added;
      check(o.id.has_value() && store.rows.count(*o.id) == 1);
    }
  }
  check(added == report->added() && added == store.rows.size());
  auto again = c.import(in, "fuzz", limits);
  check(again.ok() && again->added() == 0);
  return 0;
}
