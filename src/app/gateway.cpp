#include "gateway.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "admin_api.hpp"
#include "database.hpp"
#include "directory_auth.hpp"
#include "smimegw/config/loader.hpp"
#include "smimegw/db/migrations.hpp"
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/obs/health.hpp"
#include "smimegw/smtp/server.hpp"
#include "smimegw/transport/intake.hpp"
#include "smimegw/transport/smtp_relay.hpp"
#include "smimegw/transport/worker.hpp"
#include "smimegw/version.hpp"
#include "sync_api.hpp"
#include "transport_policy.hpp"
#include "trust_service.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

namespace {

smtp::ServerOptions smtp_options(const config::Config& cfg, std::string name, smtp::Mode mode) {
  smtp::ServerOptions o;
  o.name = std::move(name);
  o.mode = mode;
  o.hostname = cfg.organization.hostname;
  const auto& l = cfg.smtp.limits;
  o.limits.max_message_bytes = static_cast<std::uint64_t>(l.max_message_bytes);
  o.limits.max_recipients = static_cast<std::size_t>(l.max_recipients);
  o.limits.max_connections = l.max_connections;
  o.limits.max_connections_per_address = l.max_connections_per_address;
  o.limits.command_timeout = std::chrono::seconds(l.command_timeout_s);
  o.limits.data_timeout = std::chrono::seconds(l.data_timeout_s);
  o.limits.max_errors = l.max_errors;
  o.tls_cert_file = cfg.smtp.tls.certificate_file;
  o.tls_key_file = cfg.smtp.tls.key_file;
  o.allow_auth_without_tls = cfg.smtp.allow_auth_without_tls;
  return o;
}

// Relay AUTH: the password file is read here, at start; `err` names the key on failure.
transport::Destination destination(const config::Config& cfg, std::string host, std::uint16_t port,
                                   std::string tls, const std::string& user,
                                   const std::string& password_file, const std::string& key,
                                   core::Status& err) {
  transport::Destination d{std::move(host), port, std::move(tls)};
  d.allow_auth_without_tls = cfg.relay.allow_auth_without_tls;
  if (user.empty()) return d;
  auto pw = transport::read_secret_file(password_file);
  if (!pw && err) err = core::Error::make("config", key + ": " + pw.error().message);
  d.auth_user = user;
  if (pw) d.auth_password = *pw;
  return d;
}

transport::WorkerOptions worker_options(const config::Config& cfg, core::Status& err) {
  transport::WorkerOptions o;
  o.owner = transport::instance_id();
  o.concurrency = cfg.queue.workers;
  o.lease = std::chrono::seconds(cfg.queue.lease_s);
  o.backoff.clear();
  for (auto s : cfg.queue.retry_schedule_s) o.backoff.push_back(std::chrono::seconds(s));
  o.max_age = std::chrono::seconds(cfg.queue.max_age_s);
  o.delay_dsn_after = std::chrono::seconds(cfg.queue.delay_dsn_after_s);
  o.poll = std::chrono::milliseconds(cfg.queue.poll_ms);
  o.accepted_domains = cfg.organization.accepted_domains;
  for (const auto& r : cfg.relay.routes)
    o.routes.push_back(
        {r.domain,
         destination(cfg, r.host.host, r.host.port, r.tls, r.auth_user, r.auth_password_file,
                     "relay.routes[" + r.domain + "].auth_password_file", err)});
  if (!cfg.relay.smarthost.empty()) {
    auto ep = config::parse_endpoint(cfg.relay.smarthost, nullptr);
    if (ep)
      o.smarthost = destination(cfg, ep->host, ep->port, cfg.relay.tls, cfg.relay.auth_user,
                                cfg.relay.auth_password_file, "relay.auth_password_file", err);
  }
  o.dsn = {cfg.organization.hostname, cfg.organization.name};
  return o;
}

transport::IntakeOptions intake_options(const config::Config& cfg, std::string source,
                                        core::Status& err) {
  transport::IntakeOptions o{std::move(source), cfg.organization.accepted_domains, {}};
  if (o.source != "inbound") return o;
  auto nets = transport::Networks::parse(cfg.smtp.inbound_relay_networks);
  if (!nets && err)
    err = core::Error::make("config", "smtp.inbound.relay_networks: " + nets.error().message);
  if (nets) o.relay_networks = std::move(*nets);
  return o;
}

}  // namespace

struct Gateway::Impl {
  asio::io_context& io;
  const config::Config& cfg;
  core::Status setup_error;  ///< from reading secrets and parsing networks; listen() reports it
  db::Pool pool;
  obs::Metrics metrics;
  obs::Health health;
  TrustService trust{io, pool, cfg, metrics};
  db::PgQueueStore queue{pool};
  db::PgUserStore users{pool};
  transport::SmtpRelay relay;
  transport::Worker worker;
  transport::Intake inbound_sink;
  transport::Intake submission_sink;
  transport::Intake api_sink;  ///< sync API sendMail
  TransportPolicy policy;
  DirectoryAuthenticator auth{users};
  AdminApi admin;
  SyncApi sync;
  smtp::Server inbound;
  smtp::Server submission;

  Impl(asio::io_context& io_, const config::Config& c)
      : io(io_),
        cfg(c),
        pool(connection_options(c), c.database.pool_size),
        relay(io.get_executor(), c.organization.hostname,
              static_cast<std::size_t>(c.relay.max_per_destination)),
        worker(io.get_executor(), queue, users, &relay, worker_options(c, setup_error)),
        inbound_sink(queue, users, intake_options(c, "inbound", setup_error),
                     [this] { worker.wake(); }),
        submission_sink(queue, users, intake_options(c, "submission", setup_error),
                        [this] { worker.wake(); }),
        api_sink(queue, users, intake_options(c, "api", setup_error), [this] { worker.wake(); }),
        policy(c, pool, queue, users, trust.validator()),
        admin(io, c, pool, metrics, health, queue, users, trust,
              policy.vault ? &*policy.vault : nullptr, [this] { worker.wake(); }),
        sync(io, c, pool, metrics, users, api_sink),
        inbound(io.get_executor(), smtp_options(c, "inbound", smtp::Mode::Inbound), inbound_sink,
                metrics),
        submission(io.get_executor(), smtp_options(c, "submission", smtp::Mode::Submission),
                   submission_sink, metrics, &auth) {
    policy.attach(inbound_sink, submission_sink, &api_sink, worker);
    sync.set_gateway_keys([svc = policy.gateway_keys.get()] { return svc->all(); });
    sync.set_directory({&trust.validator(), policy.vault ? &*policy.vault : nullptr,
                        policy.resolver.get(), &policy.groups});
    metrics
        .gauge("smimegw_build_info", "Build of this process (value 1).",
               std::string("version=\"") + kVersion + "\"")
        .set(1);
    health.add("database", [this]() -> asio::awaitable<core::Status> {
      auto state = co_await pool.transact([](pqxx::work& tx) { return db::schema_state(tx); });
      if (!state) co_return state.error();
      co_return db::check_schema(*state);
    });
  }
};

Gateway::Gateway(asio::io_context& io, const config::Config& cfg)
    : impl_(std::make_unique<Impl>(io, cfg)) {}

Gateway::~Gateway() = default;

core::Status Gateway::listen() {
  const auto& c = impl_->cfg;
  if (!impl_->setup_error) return impl_->setup_error;
  if (auto st = impl_->admin.listen(); !st) return st.error();
  if (auto st = impl_->sync.listen(); !st) return st.error();
  if (auto st = impl_->inbound.listen(c.smtp.inbound.listen.host, c.smtp.inbound.listen.port); !st)
    return core::Error::make(st.error().code, "smtp.inbound.listen " + st.error().message);
  if (auto st =
          impl_->submission.listen(c.smtp.submission.listen.host, c.smtp.submission.listen.port);
      !st)
    return core::Error::make(st.error().code, "smtp.submission.listen " + st.error().message);
  return {};
}

void Gateway::start() {
  impl_->admin.start();
  impl_->sync.start();
  asio::co_spawn(impl_->io, impl_->inbound.run(), asio::detached);
  asio::co_spawn(impl_->io, impl_->submission.run(), asio::detached);
  impl_->policy.start(impl_->io);
  impl_->worker.start();
  impl_->trust.start();
}

void Gateway::begin_stop() {
  impl_->inbound.stop();
  impl_->submission.stop();
  impl_->worker.stop();
  impl_->admin.stop();
  impl_->sync.stop();
  impl_->trust.stop();
}

trust::Validator& Gateway::validator() {
  return impl_->trust.validator();
}

int Gateway::in_flight() const {
  return impl_->admin.active() + impl_->sync.active() + impl_->inbound.active() +
         impl_->submission.active() + impl_->worker.running();
}

}  // namespace smimegw::app
