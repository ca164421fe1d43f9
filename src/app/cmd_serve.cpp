// `smimegw serve`: the daemon. Start-up order: configuration → database (retry with backoff) →
// schema gate → services and listeners (gateway.cpp) → serve. Any failure before serving exits 1
// with one line saying what and where. SIGTERM/SIGINT: stop accepting, let in-flight requests
// finish (server.shutdown_timeout_s at most), exit 0.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "args.hpp"
#include "certificate_setup.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "gateway.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/version.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

namespace {

asio::awaitable<void> drain_then_stop(asio::io_context& io, Gateway& gw, int timeout_s) {
  asio::steady_timer timer(io);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  while (gw.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
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

  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  if (auto vault = check_key_vault(*cfg); !vault) {  // stored keys need their KEK
    report(vault.error().code + ": " + vault.error().message);
    return 1;
  }

  asio::io_context io;
  Gateway gateway(io, *cfg);
  if (auto st = gateway.listen(); !st) {
    report(st.error().message);
    return 1;
  }
  gateway.start();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    obs::log(*log, spdlog::level::info, "stopping",
             {{"signal", std::to_string(sig)}, {"in_flight", std::to_string(gateway.in_flight())}});
    gateway.begin_stop();
    asio::co_spawn(io, drain_then_stop(io, gateway, cfg->server.shutdown_timeout_s),
                   asio::detached);
  });

  obs::log(*log, spdlog::level::info, "serving",
           {{"admin", cfg->admin.listen.str()},
            {"inbound", cfg->smtp.inbound.listen.str()},
            {"submission", cfg->smtp.submission.listen.str()},
            {"db_pool", std::to_string(cfg->database.pool_size)}});
  io.run();
  obs::log(*log, spdlog::level::info, "stopped");
  return 0;
}

}  // namespace smimegw::app
