// db: the migrations compiled into the binary (generated from migrations/*.sql).
#pragma once

#include <string>
#include <vector>

namespace smimegw::db {

struct Migration {
  std::string name;  ///< file name without .sql, e.g. "0001_initial"
  std::string sql;
};

/// All migrations in apply order.
const std::vector<Migration>& embedded_migrations();

}  // namespace smimegw::db
