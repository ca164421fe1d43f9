#include "smimegw/db/migrations.hpp"

#include <algorithm>

#include "migration_list.hpp"
#include "smimegw/db/pool.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {
namespace {

// Every statement of the migrations runner (STYLE.md: one table of SQL per file).
constexpr const char* kCreateLedger =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
constexpr Statement kLedgerExists{"migrations_ledger_exists",
                                  "SELECT to_regclass('schema_migrations') IS NOT NULL"};
// Run only once the ledger exists (checked just before).
constexpr Statement kListApplied{"migrations_list_applied",
                                 "SELECT name FROM schema_migrations ORDER BY name"};
constexpr Statement kRecord{"migrations_record",
                            "INSERT INTO schema_migrations (name) VALUES ($1)"};
constexpr const char* kLock = "SELECT pg_advisory_xact_lock(7366123001)";  // "smimegw migrate"

SchemaState compare(std::vector<std::string> applied) {
  SchemaState s;
  auto known = known_migrations();
  for (const auto& k : known)
    if (std::find(applied.begin(), applied.end(), k) == applied.end()) s.missing.push_back(k);
  for (const auto& a : applied)
    if (std::find(known.begin(), known.end(), a) == known.end()) s.unknown.push_back(a);
  s.applied = std::move(applied);
  return s;
}

std::vector<std::string> read_applied(pqxx::work& tx) {
  std::vector<std::string> applied;
  if (!exec1(tx, kLedgerExists)[0].as<bool>()) return applied;
  for (const auto& row : exec(tx, kListApplied)) applied.push_back(row[0].as<std::string>());
  return applied;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

std::vector<std::string> known_migrations() {
  std::vector<std::string> names;
  for (const auto& m : embedded_migrations()) names.push_back(m.name);
  return names;
}

SchemaState schema_state(pqxx::work& tx) {
  return compare(read_applied(tx));
}

core::Result<SchemaState> schema_state(pqxx::connection& conn) {
  return run_transaction(conn, [](pqxx::work& tx) { return compare(read_applied(tx)); });
}

core::Status check_schema(const SchemaState& s) {
  if (!s.unknown.empty())
    return core::Error::make("schema_ahead",
                             "the database has migration(s) " + join(s.unknown) +
                                 " that this smimegw binary does not know: run a newer smimegw");
  if (!s.missing.empty())
    return core::Error::make("schema_behind", "the database lacks migration(s) " + join(s.missing) +
                                                  ": run `smimegw migrate -c CONFIG`");
  return {};
}

core::Result<std::vector<std::string>> migrate(pqxx::connection& conn) {
  auto ledger = run_transaction(conn, [](pqxx::work& tx) {
    tx.exec(kLock);
    tx.exec0(kCreateLedger);
  });
  if (!ledger) return ledger.error();
  std::vector<std::string> done;
  for (const auto& m : embedded_migrations()) {
    auto step = run_transaction(conn, [&](pqxx::work& tx) -> std::string {
      tx.exec(kLock);  // held until this migration commits
      auto state = compare(read_applied(tx));
      if (!state.unknown.empty()) return "ahead:" + join(state.unknown);
      if (std::find(state.applied.begin(), state.applied.end(), m.name) != state.applied.end())
        return "";
      tx.exec(m.sql);
      exec(tx, kRecord, m.name);
      return m.name;
    });
    if (!step) {
      return core::Error::make(step.error().code,
                               "migration " + m.name + " failed: " + step.error().message);
    }
    if (step->rfind("ahead:", 0) == 0)
      return core::Error::make("schema_ahead", "the database has migration(s) " + step->substr(6) +
                                                   " that this smimegw binary does not know");
    if (!step->empty()) done.push_back(*step);
  }
  return done;
}

}  // namespace smimegw::db
