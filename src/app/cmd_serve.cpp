// `smimegw serve`: the daemon. Start-up order: configuration → database (retry with backoff) →
// schema gate → listeners → serve. Any failure before serving exits 1 with one line saying what and
// where. SIGTERM/SIGINT: stop accepting, let in-flight requests finish (server.shutdown_timeout_s at
// most), exit 0.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/http/health_routes.hpp"
#include "smimegw/http/server.hpp"
#include "smimegw/obs/health.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/version.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

namespace {

http::ServerOptions http_options(const config::Config& cfg, std::string name) {
  http::ServerOptions o;
  o.name = std::move(name);
  o.max_body_bytes = static_cast<std::uint64_t>(cfg.http.max_body_bytes);
  o.request_timeout_ms = cfg.http.request_timeout_ms;
  o.max_connections = cfg.http.max_connections;
  return o;
}

asio::awaitable<void> drain_then_stop(asio::io_context& io, http::Server& admin, int timeout_s) {
  asio::steady_timer timer(io);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (admin.active() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  io.stop();
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option()}, err);
  if (!args || !args->positional.empty()) {
    report("serve: " + (args ? "unexpected argument " + args->positional.front() : err));
    return 2;
  }
  auto path = config_path(*args);
  auto cfg = load_config_or_report(path);
  if (!cfg) return 2;
  obs::init_logging(cfg->log.level);
  auto log = obs::logger("app");
  obs::log(*log, spdlog::level::info, "starting", {{"version", kVersion}, {"config", path}});

  {
    auto conn = open_database(*cfg);
    if (!conn) {
      report(conn.error().message);
      return 1;
    }
    auto state = db::schema_state(**conn);
    if (!state) {
      report(state.error().message);
      return 1;
    }
    if (auto gate = db::check_schema(*state); !gate) {
      report(gate.error().message);
      return 1;
    }
  }

  db::Pool pool(connection_options(*cfg), cfg->database.pool_size);
  asio::io_context io;
  obs::Metrics metrics;
  metrics.gauge("smimegw_build_info", "Build of this process (value 1).",
                std::string("version=\"") + kVersion + "\"").set(1);
  obs::Health health;
  health.add("database", [&pool]() -> asio::awaitable<core::Status> {
    auto state = co_await pool.transact([](pqxx::work& tx) { return db::schema_state(tx); });
    if (!state) co_return state.error();
    co_return db::check_schema(*state);
  });

  http::Router admin_routes;
  http::add_health_routes(admin_routes, health, metrics);
  http::Server admin(io.get_executor(), admin_routes, metrics, http_options(*cfg, "admin"));
  if (auto st = admin.listen(cfg->admin.listen.host, cfg->admin.listen.port); !st) {
    report("admin.listen " + st.error().message);
    return 1;
  }
  asio::co_spawn(io, admin.run(), asio::detached);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    obs::log(*log, spdlog::level::info, "stopping",
             {{"signal", std::to_string(sig)}, {"in_flight", std::to_string(admin.active())}});
    admin.stop();
    asio::co_spawn(io, drain_then_stop(io, admin, cfg->server.shutdown_timeout_s), asio::detached);
  });

  obs::log(*log, spdlog::level::info, "serving",
           {{"admin", cfg->admin.listen.str()}, {"db_pool", std::to_string(cfg->database.pool_size)}});
  io.run();
  pool.stop();
  obs::log(*log, spdlog::level::info, "stopped");
  return 0;
}

}  // namespace smimegw::app
