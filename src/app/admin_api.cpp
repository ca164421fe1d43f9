#include "admin_api.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/thread_pool.hpp>

#include "admin_certificates.hpp"
#include "admin_groups.hpp"
#include "admin_labels.hpp"
#include "admin_operations.hpp"
#include "admin_services.hpp"
#include "directory_setup.hpp"
#include "smimegw/db/pg_admin_store.hpp"
#include "smimegw/db/pg_api_token_store.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/http/admin/routes.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/http/health_routes.hpp"
#include "smimegw/http/server.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  std::string h = host;
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  boost::system::error_code ec;
  auto a = asio::ip::make_address(h, ec);
  return !ec && a.is_loopback();
}

struct AdminApi::Impl {
  asio::io_context& io;
  const config::Config& cfg;
  obs::Metrics& metrics;
  asio::thread_pool worker{1};  // blocking trust-store calls and password hashing
  db::PgApiTokenStore tokens;
  db::PgAdminStore admin_store;
  db::PgPolicyStore policy_store;
  AdminTrust trust;
  AdminQueue queue;
  AdminUsers users;
  AdminCertificates certificates;
  AdminGroups groups;
  AdminSyncTokens sync_tokens;
  AdminLabels labels;
  AdminSmimeConfig smime_config;
  AdminOperations operations;
  http::admin::Services services{&trust,       &queue,  &users,        &certificates, &groups,
                                 &sync_tokens, &labels, &smime_config, &operations};
  http::RateLimiter limiter;
  std::unique_ptr<http::TokenAuthenticator> auth;
  http::Router router;
  std::unique_ptr<http::Server> server;

  Impl(asio::io_context& io_, const config::Config& c, db::Pool& pool, obs::Metrics& m,
       const obs::Health& health, transport::QueueStore& q, directory::UserStore& u,
       TrustService& ts, const directory::KeyVault* vault, std::function<void()> wake)
      : io(io_),
        cfg(c),
        metrics(m),
        tokens(pool),
        admin_store(pool),
        policy_store(pool),
        trust(pool, worker),
        queue(pool, q),
        users(u, pool, worker),
        certificates(AdminCertificateDeps{c, pool, u, users, ts.validator(), vault, q,
                                          std::move(wake), worker}),
        groups(pool, admin_store, expansion_limits(c)),
        sync_tokens(users, admin_store),
        labels(policy_store, worker),
        smime_config(policy_store, worker),
        operations(pool, admin_store, ts, worker),
        limiter(static_cast<double>(c.admin.rate_limit_per_s),
                static_cast<double>(c.admin.rate_limit_burst)) {
    http::add_health_routes(router, health, metrics);
    http::admin::add_routes(router, services);
  }

  ~Impl() { worker.join(); }

  http::ServerOptions options() const {
    http::ServerOptions o;
    o.name = "admin";
    o.max_body_bytes = static_cast<std::uint64_t>(cfg.http.max_body_bytes);
    o.max_header_bytes = static_cast<std::uint32_t>(cfg.http.max_header_bytes);
    o.header_timeout_ms = cfg.http.header_timeout_ms;
    o.request_timeout_ms = cfg.http.request_timeout_ms;
    o.idle_timeout_ms = cfg.http.idle_timeout_ms;
    o.max_connections = cfg.http.max_connections;
    o.max_connections_per_address = cfg.http.max_connections_per_address;
    return o;
  }

  core::Status listen() {
    const auto& a = cfg.admin;
    auto opts = options();
    if (!a.tls.certificate_file.empty() || !a.tls.key_file.empty()) {
      auto ctx = net::TlsServerContext::from_pem_files(a.tls.certificate_file, a.tls.key_file);
      if (!ctx) return core::Error::make(ctx.error().code, "admin.tls: " + ctx.error().message);
      opts.tls = *ctx;
    } else if (!is_loopback_host(a.listen.host) && !a.allow_insecure_http) {
      return core::Error::make("insecure_http",
                               "admin.listen " + a.listen.str() +
                                   ": plain HTTP on a non-loopback address; set "
                                   "admin.tls.certificate_file and admin.tls.key_file (or "
                                   "admin.allow_insecure_http: true)");
    }
    std::vector<std::pair<std::string, std::string>> file_tokens;
    if (!a.tokens_file.empty()) {
      auto loaded = http::load_tokens_file(a.tokens_file);
      if (!loaded) return loaded.error();
      file_tokens = std::move(*loaded);
    }
    auto file_count = file_tokens.size();
    auth = std::make_unique<http::TokenAuthenticator>(&tokens, std::move(file_tokens));
    router.set_security(auth.get(), &limiter);
    server = std::make_unique<http::Server>(io.get_executor(), router, metrics, opts);
    if (auto st = server->listen(a.listen.host, a.listen.port); !st)
      return core::Error::make(st.error().code, "admin.listen " + st.error().message);
    obs::log(*obs::logger("http"), spdlog::level::info, "admin_listener",
             {{"listen", a.listen.str()},
              {"tls", opts.tls ? "yes" : "no"},
              {"file_tokens", std::to_string(file_count)}});
    return {};
  }
};

AdminApi::AdminApi(asio::io_context& io, const config::Config& cfg, db::Pool& pool,
                   obs::Metrics& metrics, const obs::Health& health, transport::QueueStore& queue,
                   directory::UserStore& users, TrustService& trust,
                   const directory::KeyVault* vault, std::function<void()> wake)
    : impl_(std::make_unique<Impl>(io, cfg, pool, metrics, health, queue, users, trust, vault,
                                   std::move(wake))) {}

AdminApi::~AdminApi() = default;

core::Status AdminApi::listen() {
  return impl_->listen();
}

void AdminApi::start() {
  if (impl_->server) asio::co_spawn(impl_->io, impl_->server->run(), asio::detached);
}

void AdminApi::stop() {
  if (impl_->server) impl_->server->stop();
}

int AdminApi::active() const {
  return impl_->server ? impl_->server->active() : 0;
}

}  // namespace smimegw::app
