// db: named prepared statements. Each store declares its statements as a table of
// `constexpr Statement kX{"area_x", "SQL"}` at the top of its file and runs them with db::exec():
// the statement is registered on the connection on first use (libpqxx 6.4 makes re-registering an
// identical definition a no-op and refuses a conflicting one) and executed as a prepared statement,
// so the server parses and plans it once per connection.
#pragma once

#include <pqxx/pqxx>
#include <utility>

namespace smimegw::db {

struct Statement {
  const char* name;  ///< unique across the gateway: "<area>_<verb>"
  const char* sql;
};

template <class... Args>
pqxx::result exec(pqxx::work& tx, const Statement& s, Args&&... args) {
  tx.conn().prepare(s.name, s.sql);
  return tx.exec_prepared(s.name, std::forward<Args>(args)...);
}

template <class... Args>
pqxx::row exec1(pqxx::work& tx, const Statement& s, Args&&... args) {
  tx.conn().prepare(s.name, s.sql);
  return tx.exec_prepared1(s.name, std::forward<Args>(args)...);
}

}  // namespace smimegw::db
