// app: TransportPolicy wiring (transport_policy.hpp).
#include "transport_policy.hpp"

#include <malloc.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <filesystem>
#include <thread>

#include "directory_setup.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

namespace {

std::optional<directory::KeyVault> load_vault(const config::Config& cfg) {
  auto log = obs::logger("app");
  if (cfg.keys.kek_file.empty() || !std::filesystem::exists(cfg.keys.kek_file)) {
    obs::log(*log, spdlog::level::warn, "key_vault_absent",
             {{"kek_file", cfg.keys.kek_file},
              {"effect", "signing, decryption and protected labels are unavailable"}});
    return std::nullopt;
  }
  auto v = directory::KeyVault::load(cfg.keys.kek_file);
  if (!v) {  // serve checked the KEK before; a failure here is logged, never fatal twice
    obs::log(*log, spdlog::level::err, "key_vault_failed", {{"error", v.error().code}});
    return std::nullopt;
  }
  return std::move(*v);
}

asio::awaitable<void> ensure_gateway_key(directory::GatewayKeyService* service, std::string org) {
  auto key = co_await service->ensure(std::move(org));
  auto log = obs::logger("app");
  if (key)
    obs::log(*log, spdlog::level::info, "gateway_key", {{"thumbprint", (*key)->thumbprint}});
  else
    obs::log(*log, spdlog::level::warn, "gateway_key_unavailable",
             {{"error", key.error().code}, {"message", key.error().message}});
}

// The label catalog of the policy data, for the inbound processor.
class SnapshotLabels final : public transport::LabelCatalog {
 public:
  explicit SnapshotLabels(transport::PolicySource& source) : source_(source) {}
  asio::awaitable<core::Result<std::shared_ptr<const policy::Catalog>>> catalog() override {
    auto snap = co_await source_.snapshot();
    if (!snap) co_return core::Error::transient("db_unavailable", "label catalog unavailable");
    co_return std::shared_ptr<const policy::Catalog>(*snap, &(*snap)->catalog);
  }

 private:
  transport::PolicySource& source_;
};

// includeChain: the signer's issuers from the virtual certificate collection (read when a signing
// context is prepared, on the outbound steps' threads).
transport::ChainLookup anchor_chain(db::Pool& pool) {
  auto anchors = std::make_shared<db::PgAnchorStore>(pool);
  return [anchors](const Botan::X509_Certificate& leaf)
             -> core::Result<std::vector<Botan::X509_Certificate>> {
    auto listed = anchors->list(true);
    if (!listed)
      return core::Error::transient(listed.error().code,
                                    "trust anchors unavailable: " + listed.error().message);
    std::vector<Botan::X509_Certificate> certs;
    for (const auto& a : *listed) {
      try {
        certs.emplace_back(a.der);
      } catch (const std::exception&) {
        // an anchor Botan cannot load cannot be an issuer of ours either
      }
    }
    return transport::issuers_from(leaf, certs);
  };
}

}  // namespace

TransportPolicy::TransportPolicy(const config::Config& c, db::Pool& pool, db::PgQueueStore& queue,
                                 db::PgUserStore& users, trust::Validator& validator)
    : cfg(c),
      vault(load_vault(c)),
      certificates(pool),
      groups(pool),
      policy_store(pool),
      gateway_store(pool),
      trace(pool),
      expander(groups, expansion_limits(c)) {
  // Message buffers of 1 MiB and more are mapped and returned to the system when freed. Without a
  // fixed threshold glibc raises it after the first large free (up to 32 MiB), and freed 25 MiB
  // buffers then stay in the heap: peak memory per large message above 4× its size (issue 3).
  // Set where the daemon builds its message processing, before any message is handled.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  auto endpoints = ldap_endpoints(c);
  if (endpoints && !endpoints->empty())
    ldap = std::make_unique<directory::LdapDirectory>(*endpoints, ldap_options(c));
  directory::ResolverOptions ropt;
  ropt.revocation =
      trust::parse_revocation_mode(c.trust.revocation).value_or(trust::RevocationMode::require);
  ropt.groups = expansion_limits(c);
  ropt.accept_user_trusted = c.sync.allow_user_trusted_certificates;
  resolver = std::make_unique<directory::Resolver>(certificates, &groups, ldap.get(), validator,
                                                   clock, ropt);
  const directory::KeyVault* v = vault ? &*vault : nullptr;
  keys = std::make_unique<directory::KeyRing>(users, certificates, v, clock);
  gateway_keys = std::make_unique<directory::GatewayKeyService>(gateway_store, v);
  policy = std::make_unique<transport::PolicySource>(policy_store, &expander);
  transport::GateOptions go;
  go.tenant_id = c.organization.tenant_id;
  go.accepted_domains = c.organization.accepted_domains;
  go.expiry_warning_days = c.trust.expiry_warning_days;
  go.accept_sha1 = c.trust.accept_sha1;
  go.revocation = ropt.revocation;
  gate = std::make_unique<transport::PolicyGate>(
      transport::GateDeps{*policy, *resolver, *keys, *gateway_keys, validator, queue, clock}, go);
  transport::StepsOptions so;
  so.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  so.chain = anchor_chain(pool);
  steps = std::make_unique<transport::OutboundSteps>(*keys, &trace, clock, std::move(so));
  harvester = std::make_unique<directory::CertificateService>(
      users, certificates, validator, v, clock, certificate_service_options(c));
  inbound_keys = std::make_unique<transport::VaultKeySource>(*keys, *gateway_keys);
  labels = std::make_unique<SnapshotLabels>(*policy);
  transport::InboundOptions io;
  io.authserv_id = c.organization.hostname;
  io.tenant_id = core::ascii_lower(c.organization.tenant_id);
  io.accept_sha1 = c.trust.accept_sha1;
  io.revocation = ropt.revocation;
  inbound_processor = std::make_unique<transport::InboundProcessor>(
      *inbound_keys, validator, harvester.get(), &trace, labels.get(), clock, io);
}

TransportPolicy::~TransportPolicy() = default;

void TransportPolicy::attach(transport::Intake& inbound, transport::Intake& submission,
                             transport::Intake* api, transport::Worker& worker) {
  inbound.set_groups(&groups, &expander);
  submission.set_groups(&groups, &expander);
  submission.set_policy_gate(gate.get());
  if (api) {
    api->set_groups(&groups, &expander);
    api->set_policy_gate(gate.get());
  }
  worker.set_outbound(steps.get());
  worker.set_local_processor(inbound_processor.get());
}

void TransportPolicy::start(asio::io_context& io) {
  if (!vault) return;
  asio::co_spawn(io, ensure_gateway_key(gateway_keys.get(), cfg.organization.name), asio::detached);
}

}  // namespace smimegw::app
