#include "sync_api.hpp"

#include <botan/system_rng.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fstream>
#include <iterator>

#include "admin_api.hpp"
#include "directory_setup.hpp"
#include "smimegw/db/pg_api_token_store.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_mailbox_store.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/pg_sync_device_store.hpp"
#include "smimegw/db/pg_sync_user_store.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/http/health_routes.hpp"
#include "smimegw/http/server.hpp"
#include "smimegw/http/sync/routes.hpp"
#include "smimegw/obs/log.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

boost::asio::awaitable<core::Result<http::Principal>> SyncAuthenticator::authenticate(
    http::AuthKind kind, std::string token) {
  const auto refused = core::Error::make("unauthorized", "missing or invalid bearer token");
  if (token.empty() || token.size() > 512 || kind != http::AuthKind::Sync) co_return refused;
  auto hash = http::token_hash(token);
  std::string kind_name = "sync";
  auto found = co_await tokens_.find_active(kind_name, hash);
  if (!found) co_return found.error();
  if (!*found || !http::constant_time_equal((*found)->hash, hash) || !(*found)->user_id)
    co_return refused;
  auto user = co_await users_.find_user(*(*found)->user_id);
  if (!user) co_return user.error();
  if (!*user || !(*user)->enabled) co_return refused;
  co_return http::Principal{(*user)->address, (*found)->id, (*found)->user_id};
}

namespace {

core::Result<std::vector<std::uint8_t>> read_kek(const std::string& path) {
  auto vault = directory::KeyVault::load(path);  // checks mode and size
  if (!vault) return vault.error();
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> kek((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  return kek;
}

mailbox::ServiceOptions mailbox_options(const config::Config& c) {
  mailbox::ServiceOptions o;
  o.default_page_size = c.mailbox.default_page_size;
  o.max_page_size = c.mailbox.max_page_size;
  o.token_max_age_s = c.mailbox.delta_token_max_age_s;
  return o;
}

}  // namespace

struct SyncApi::Impl {
  asio::io_context& io;
  const config::Config& cfg;
  db::Pool& pool;
  obs::Metrics& metrics;
  directory::UserStore& users;
  core::MessageSink& sink;
  asio::thread_pool worker{2};  // Argon2id, policy store calls, CMS decryption
  core::SystemClock clock;
  db::PgApiTokenStore tokens{pool};
  db::PgSyncUserStore sync_users{pool};
  db::PgMailboxStore mailbox{pool};
  db::PgPolicyStore policy{pool};
  db::PgCertificateStore certificates{pool};
  db::PgSyncDeviceStore devices{pool};
  GatewayKeys gateway_keys;  ///< set_gateway_keys()
  SyncDirectory directory;   ///< set_directory()
  std::unique_ptr<directory::CertificateService> certificate_service;
  std::unique_ptr<mailbox::Service> mail;
  std::unique_ptr<SyncServices> services;
  SyncAuthenticator auth{tokens, sync_users};
  http::RateLimiter limiter;
  http::Router router;
  std::unique_ptr<http::Server> server;

  Impl(asio::io_context& io_, const config::Config& c, db::Pool& p, obs::Metrics& m,
       directory::UserStore& u, core::MessageSink& s)
      : io(io_),
        cfg(c),
        pool(p),
        metrics(m),
        users(u),
        sink(s),
        limiter(static_cast<double>(c.admin.rate_limit_per_s),
                static_cast<double>(c.admin.rate_limit_burst)) {}

  ~Impl() { worker.join(); }

  http::ServerOptions options() const {
    http::ServerOptions o;
    o.name = "sync";
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
    const auto& sc = cfg.sync;
    auto opts = options();
    if (!sc.tls.certificate_file.empty() || !sc.tls.key_file.empty()) {
      auto ctx = net::TlsServerContext::from_pem_files(sc.tls.certificate_file, sc.tls.key_file);
      if (!ctx) return core::Error::make(ctx.error().code, "sync.tls: " + ctx.error().message);
      opts.tls = *ctx;
    } else if (!is_loopback_host(sc.listen.host) && !sc.allow_insecure_http) {
      return core::Error::make("insecure_http",
                               "sync.listen " + sc.listen.str() +
                                   ": plain HTTP on a non-loopback address; set "
                                   "sync.tls.certificate_file and sync.tls.key_file (or "
                                   "sync.allow_insecure_http: true)");
    }
    // Without a KEK the API still serves: delta tokens are keyed by a per-process random key
    // (a restart answers resyncRequired).
    auto kek = read_kek(cfg.keys.kek_file);
    if (!kek) {
      obs::log(*obs::logger("http"), spdlog::level::warn, "sync_kek_missing",
               {{"key", "keys.kek_file"}, {"code", kek.error().code}});
      kek = std::vector<std::uint8_t>(32);
      Botan::system_rng().randomize(kek->data(), kek->size());
    }
    mail = std::make_unique<mailbox::Service>(
        mailbox, mailbox::TokenCodec(mailbox::derive_token_key(*kek)), clock, mailbox_options(cfg));
    const auto revocation =
        trust::parse_revocation_mode(cfg.trust.revocation).value_or(trust::RevocationMode::require);
    if (directory.validator) {
      certificate_service = std::make_unique<directory::CertificateService>(
          users, certificates, *directory.validator, directory.vault, clock,
          certificate_service_options(cfg));
    }
    SyncDeps deps{worker,
                  tokens,
                  users,
                  mailbox,
                  *mail,
                  policy,
                  gateway_keys,
                  sink,
                  certificates,
                  clock,
                  sc.token_lifetime_s,
                  cfg.organization.tenant_id,
                  devices};
    deps.certificate_service = certificate_service.get();
    deps.resolver = directory.resolver;
    deps.groups = directory.groups;
    deps.validator = directory.validator;
    deps.revocation = revocation;
    deps.allow_user_trusted = sc.allow_user_trusted_certificates;
    deps.accepted_domains = cfg.organization.accepted_domains;
    services = std::make_unique<SyncServices>(std::move(deps));
    router.add("GET", "/healthz", [](http::Request&) -> asio::awaitable<http::Response> {
      co_return http::json_response(200, "{\"status\":\"ok\"}");
    });
    http::sync::add_routes(router, *services);
    router.set_security(&auth, &limiter);
    server = std::make_unique<http::Server>(io.get_executor(), router, metrics, opts);
    if (auto st = server->listen(sc.listen.host, sc.listen.port); !st)
      return core::Error::make(st.error().code, "sync.listen " + st.error().message);
    obs::log(*obs::logger("http"), spdlog::level::info, "sync_listener",
             {{"listen", sc.listen.str()}, {"tls", opts.tls ? "yes" : "no"}});
    return {};
  }
};

SyncApi::SyncApi(asio::io_context& io, const config::Config& cfg, db::Pool& pool,
                 obs::Metrics& metrics, directory::UserStore& users, core::MessageSink& sink)
    : impl_(std::make_unique<Impl>(io, cfg, pool, metrics, users, sink)) {}

SyncApi::~SyncApi() = default;

void SyncApi::set_gateway_keys(GatewayKeys keys) {
  impl_->gateway_keys = std::move(keys);
}

void SyncApi::set_directory(SyncDirectory directory) {
  impl_->directory = directory;
}

core::Status SyncApi::listen() {
  return impl_->listen();
}

void SyncApi::start() {
  if (impl_->server) asio::co_spawn(impl_->io, impl_->server->run(), asio::detached);
}

void SyncApi::stop() {
  if (impl_->server) impl_->server->stop();
}

int SyncApi::active() const {
  return impl_->server ? impl_->server->active() : 0;
}

}  // namespace smimegw::app
