// app: the wiring of policy in transport for `serve` — key vault, key ring, gateway key, directory
// resolver (GAL → installed → LDAP), policy data, the policy gate (decides before 250) and the
// outbound steps (carry out the plan in the workers). Gateway attaches it to the submission and
// sync-API intakes and to the worker.
#pragma once

#include <memory>
#include <optional>

#include "smimegw/config/config.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_gateway_key_store.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/pg_queue_store.hpp"
#include "smimegw/db/pg_trace_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/key_ring.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/directory/ldap.hpp"
#include "smimegw/directory/resolver.hpp"
#include "smimegw/transport/inbound.hpp"
#include "smimegw/transport/intake.hpp"
#include "smimegw/transport/outbound_steps.hpp"
#include "smimegw/transport/policy_gate.hpp"
#include "smimegw/transport/policy_source.hpp"
#include "smimegw/transport/worker.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::app {

struct TransportPolicy {
  TransportPolicy(const config::Config& cfg, db::Pool& pool, db::PgQueueStore& queue,
                  db::PgUserStore& users, trust::Validator& validator);
  ~TransportPolicy();

  /// Group expansion on every intake, the gate on the authenticated ones, the steps on the worker.
  void attach(transport::Intake& inbound, transport::Intake& submission, transport::Intake* api,
              transport::Worker& worker);
  /// At start: creates the gateway key when there is none (logs when it cannot).
  void start(boost::asio::io_context& io);

  const config::Config& cfg;
  core::SystemClock clock;
  std::optional<directory::KeyVault> vault;
  db::PgCertificateStore certificates;
  db::PgGroupStore groups;
  db::PgPolicyStore policy_store;
  db::PgGatewayKeyStore gateway_store;
  db::PgTraceStore trace;
  directory::GroupExpander expander;
  std::unique_ptr<directory::LdapDirectory> ldap;
  std::unique_ptr<directory::Resolver> resolver;
  std::unique_ptr<directory::KeyRing> keys;
  std::unique_ptr<directory::GatewayKeyService> gateway_keys;
  std::unique_ptr<transport::PolicySource> policy;
  std::unique_ptr<transport::PolicyGate> gate;
  std::unique_ptr<transport::OutboundSteps> steps;
  std::unique_ptr<directory::CertificateService> harvester;
  std::unique_ptr<transport::VaultKeySource> inbound_keys;
  std::unique_ptr<transport::LabelCatalog> labels;
  std::unique_ptr<transport::InboundProcessor> inbound_processor;
};

}  // namespace smimegw::app
