// db: PostgreSQL implementation of trust::AnchorStore (table trust_anchors, migration 0002).
//
// Every call is one transaction through Pool::transact_blocking, so it must not be called from a
// pool thread or an event-loop coroutine (see pool.hpp). The generation counter is the single row
// of trust_generation, bumped by a statement trigger on any change of trust_anchors (so changes
// made by other instances or by hand in psql count too). Error codes: db_unavailable (transient),
// db_error, db_duplicate (add of a thumbprint already present), not_found (set_enabled/remove of
// an id that does not exist).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/trust/anchor_store.hpp"

namespace smimegw::db {

class PgAnchorStore final : public trust::AnchorStore {
 public:
  explicit PgAnchorStore(Pool& pool) : pool_(pool) {}

  core::Result<std::int64_t> add(const trust::StoredAnchor& anchor) override;
  core::Result<std::vector<trust::StoredAnchor>> list(bool enabled_only) override;
  core::Result<std::optional<trust::StoredAnchor>> find(std::int64_t id) override;
  core::Status set_enabled(std::int64_t id, bool enabled) override;
  core::Status remove(std::int64_t id) override;
  core::Result<std::int64_t> generation() override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
