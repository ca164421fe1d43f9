// trust: importing into the virtual certificate collection (collection.hpp).
#include "smimegw/trust/collection.hpp"

#include <ctime>

#include "smimegw/core/time_format.hpp"

namespace smimegw::trust {
namespace {

std::string utc(std::chrono::system_clock::time_point t) {
  return core::iso8601_utc(t);
}

}  // namespace

std::size_t ImportReport::added() const {
  std::size_t n = 0;
  for (const auto& i : items) n += i.status == "added";
  return n;
}

core::Result<ImportReport> Collection::import(std::span<const std::uint8_t> file,
                                              const std::string& added_by,
                                              const ImportLimits& limits) {
  auto extracted = extract_certificates(file, limits);
  if (!extracted) return extracted.error();
  ImportReport report{extracted->format, {}};
  for (const auto& item : extracted->items) {
    std::optional<core::Error> fatal;
    report.items.push_back(import_one(item, added_by, fatal));
    if (fatal) return *fatal;
  }
  return report;
}

ImportOutcome Collection::import_one(const ExtractedItem& item, const std::string& added_by,
                                     std::optional<core::Error>& fatal) {
  ImportOutcome o;
  o.origin = item.origin;
  if (!item.not_certificate.empty()) {
    o.status = "not_certificate";
    o.detail = item.not_certificate;
    return o;
  }
  auto facts = item.problem.empty()
                   ? describe_certificate(item.der)
                   : core::Result<AnchorFacts>(core::Error::make("unparsable", item.problem));
  if (!facts) {
    o.status = "unparsable";
    o.detail = facts.error().message;
    return o;
  }
  o.subject = facts->anchor.subject;
  o.sha256 = facts->anchor.sha256;
  o.is_root = facts->anchor.is_root;
  auto now = clock_.now();
  if (!facts->is_ca) {
    o.status = "not_ca";
    o.detail = "not a CA certificate (no basicConstraints cA=TRUE): refused";
    return o;
  }
  if (facts->anchor.not_after < now) {
    o.status = "expired";
    o.detail = "expired " + utc(facts->anchor.not_after) + ": refused";
    return o;
  }
  StoredAnchor a = facts->anchor;
  a.enabled = true;
  a.added_by = added_by;
  auto id = store_.add(a);
  if (id) {
    o.status = "added";
    o.id = *id;
    o.detail = a.is_root ? "root" : "intermediate";
    if (facts->not_before > now) o.detail += ", not valid before " + utc(facts->not_before);
    return o;
  }
  if (id.error().code != "db_duplicate") {
    fatal = id.error();
    o.status = "error";
    o.detail = id.error().message;
    return o;
  }
  o.status = "duplicate";
  o.detail = "already in the collection";
  if (auto all = store_.list(false)) {
    for (const auto& s : *all)
      if (s.sha256 == a.sha256) {
        o.id = s.id;
        o.detail += " as id " + std::to_string(s.id);
      }
  }
  return o;
}

}  // namespace smimegw::trust
