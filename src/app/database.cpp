#include "database.hpp"

#include "smimegw/db/migrations.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

db::ConnectionOptions connection_options(const config::Config& cfg) {
  return {.url = cfg.database.url,
          .password = cfg.database.password,
          .statement_timeout_ms = cfg.database.statement_timeout_ms};
}

core::Result<std::unique_ptr<pqxx::connection>> open_database(const config::Config& cfg) {
  auto log = obs::logger("db");
  auto timeout = std::chrono::seconds(cfg.database.connect_timeout_s);
  auto conn = db::connect_with_retry(connection_options(cfg), timeout, [&](const core::Error& e) {
    obs::log(*log, spdlog::level::warn, "db_unreachable_retrying", {{"reason", e.message}});
  });
  if (!conn && conn.error().temporary)
    return core::Error::make(conn.error().code, conn.error().message + " (gave up after " +
                                                    std::to_string(cfg.database.connect_timeout_s) +
                                                    " s; see database.connect_timeout_s)");
  return conn;
}

core::Status check_database(const config::Config& cfg) {
  auto conn = open_database(cfg);
  if (!conn) return conn.error();
  auto state = db::schema_state(**conn);
  if (!state) return state.error();
  return db::check_schema(*state);
}

}  // namespace smimegw::app
