// db: trust_anchors, the virtual certificate collection (anchor_store.hpp).
#include "smimegw/db/anchor_store.hpp"

#include "smimegw/db/statement.hpp"

namespace smimegw::db {
namespace {

// Every statement of the anchor store (STYLE.md: one table of SQL per file), run as named prepared
// statements (statement.hpp).
// INSERT ... SELECT WHERE NOT EXISTS rather than ON CONFLICT: a duplicate then consumes no id, so
// the ids operators see have no gaps; a concurrent insert of the same thumbprint still hits the
// unique index (unique_violation, which the pool reports as db_duplicate too).
#define SMIMEGW_ANCHOR_COLUMNS                                                             \
  "SELECT id, der, sha256, subject, issuer, is_root, enabled,"                             \
  " extract(epoch FROM not_after)::bigint, added_by, extract(epoch FROM added_at)::bigint" \
  " FROM trust_anchors"
constexpr Statement kInsert{
    "anchor_insert",
    "INSERT INTO trust_anchors (der, sha256, subject, issuer, is_root, enabled, not_after, "
    "added_by)"
    " SELECT $1, $2, $3, $4, $5, $6, to_timestamp($7), $8"
    " WHERE NOT EXISTS (SELECT 1 FROM trust_anchors WHERE sha256 = $2) RETURNING id"};
constexpr Statement kListAll{"anchor_list_all", SMIMEGW_ANCHOR_COLUMNS " ORDER BY id"};
constexpr Statement kListEnabled{"anchor_list_enabled",
                                 SMIMEGW_ANCHOR_COLUMNS " WHERE enabled ORDER BY id"};
constexpr Statement kFindById{"anchor_find", SMIMEGW_ANCHOR_COLUMNS " WHERE id = $1"};
#undef SMIMEGW_ANCHOR_COLUMNS
constexpr Statement kSetEnabled{"anchor_set_enabled",
                                "UPDATE trust_anchors SET enabled = $2 WHERE id = $1 RETURNING id"};
constexpr Statement kDelete{"anchor_delete",
                            "DELETE FROM trust_anchors WHERE id = $1 RETURNING id"};
constexpr Statement kGeneration{"anchor_generation", "SELECT generation FROM trust_generation"};

using Clock = std::chrono::system_clock;

std::int64_t epoch_seconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

trust::StoredAnchor from_row(const pqxx::row& r) {
  trust::StoredAnchor a;
  a.id = r[0].as<std::int64_t>();
  pqxx::binarystring der(r[1]);
  a.der.assign(der.data(), der.data() + der.size());
  a.sha256 = r[2].as<std::string>();
  a.subject = r[3].as<std::string>();
  a.issuer = r[4].as<std::string>();
  a.is_root = r[5].as<bool>();
  a.enabled = r[6].as<bool>();
  a.not_after = Clock::time_point(std::chrono::seconds(r[7].as<std::int64_t>()));
  a.added_by = r[8].as<std::string>();
  a.added_at = Clock::time_point(std::chrono::seconds(r[9].as<std::int64_t>()));
  return a;
}

core::Error not_found(std::int64_t id) {
  return core::Error::make("not_found", "no trust anchor with id " + std::to_string(id));
}

}  // namespace

core::Result<std::int64_t> PgAnchorStore::add(const trust::StoredAnchor& a) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) -> std::optional<std::int64_t> {
    pqxx::binarystring der(a.der.data(), a.der.size());
    auto res = exec(tx, kInsert, der, a.sha256, a.subject, a.issuer, a.is_root, a.enabled,
                    epoch_seconds(a.not_after), a.added_by);
    if (res.empty()) return std::nullopt;
    return res[0][0].as<std::int64_t>();
  });
  if (!r) return r.error();
  if (!*r)
    return core::Error::make("db_duplicate",
                             "certificate " + a.sha256 + " is already in the collection");
  return **r;
}

core::Result<std::vector<trust::StoredAnchor>> PgAnchorStore::list(bool enabled_only) {
  return pool_.transact_blocking([&](pqxx::work& tx) {
    std::vector<trust::StoredAnchor> out;
    for (const auto& row : exec(tx, enabled_only ? kListEnabled : kListAll))
      out.push_back(from_row(row));
    return out;
  });
}

core::Result<std::optional<trust::StoredAnchor>> PgAnchorStore::find(std::int64_t id) {
  return pool_.transact_blocking([&](pqxx::work& tx) -> std::optional<trust::StoredAnchor> {
    auto res = exec(tx, kFindById, id);
    if (res.empty()) return std::nullopt;
    return from_row(res[0]);
  });
}

core::Status PgAnchorStore::set_enabled(std::int64_t id, bool enabled) {
  auto r = pool_.transact_blocking(
      [&](pqxx::work& tx) { return !exec(tx, kSetEnabled, id, enabled).empty(); });
  if (!r) return r.error();
  if (!*r) return not_found(id);
  return {};
}

core::Status PgAnchorStore::remove(std::int64_t id) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) { return !exec(tx, kDelete, id).empty(); });
  if (!r) return r.error();
  if (!*r) return not_found(id);
  return {};
}

core::Result<std::int64_t> PgAnchorStore::generation() {
  return pool_.transact_blocking(
      [](pqxx::work& tx) { return exec1(tx, kGeneration)[0].as<std::int64_t>(); });
}

}  // namespace smimegw::db
