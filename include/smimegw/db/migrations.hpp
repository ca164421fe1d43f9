// db: schema migrations. Forward-only SQL files migrations/NNNN_name.sql are compiled into the
// binary; `smimegw migrate` applies the missing ones in order, each in its own transaction, and
// records it in schema_migrations. Concurrent migrators serialize on an advisory lock. `serve`
// checks the state first and refuses to run on a schema it doesn't know (ahead or behind).
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::db {

struct SchemaState {
  std::vector<std::string> applied;  ///< recorded in the database, in order
  std::vector<std::string> missing;  ///< known to the binary, not applied
  std::vector<std::string> unknown;  ///< applied, but the binary doesn't know them (newer binary)
  bool current() const { return missing.empty() && unknown.empty(); }
};

/// Names of the migrations compiled into this binary, in order.
std::vector<std::string> known_migrations();

/// Reads the schema state (an empty database has everything missing).
core::Result<SchemaState> schema_state(pqxx::connection& conn);
/// The same inside a running transaction (readiness checks).
SchemaState schema_state(pqxx::work& tx);

/// Applies every missing migration; returns the names applied. Refuses (`schema_ahead`) when the
/// database has migrations this binary doesn't know.
core::Result<std::vector<std::string>> migrate(pqxx::connection& conn);

/// Ok when the schema is current; otherwise `schema_behind` / `schema_ahead` with a message
/// that says what to run.
core::Status check_schema(const SchemaState& state);

}  // namespace smimegw::db
