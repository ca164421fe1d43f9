// app: opening the configured database for a subcommand (retrying while it is unreachable) and the
// schema gate that `serve` applies.
#pragma once

#include <memory>
#include <pqxx/pqxx>

#include "smimegw/config/config.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/db/pool.hpp"

namespace smimegw::app {

db::ConnectionOptions connection_options(const config::Config& cfg);

/// Connects, retrying with backoff for database.connect_timeout_s; logs each retry.
core::Result<std::unique_ptr<pqxx::connection>> open_database(const config::Config& cfg);

/// The schema gate of every subcommand that uses the stores: the database is reachable and its
/// schema is exactly the one this binary knows (otherwise the error says what to run).
core::Status check_database(const config::Config& cfg);

}  // namespace smimegw::app
