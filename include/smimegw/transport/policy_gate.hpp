// transport: the policy gate — the outbound policy decision made before 250 (ARCHITECTURE
// invariant 6) for mail from an authenticated sender (submission :587 and the sync API).
//
// Flow of evaluate(): policy data (policy_source.hpp) → the sender's effective label policy →
// the labels of the messages it answers (In-Reply-To/References, from the queue and the
// mailboxes) → policy::decide → then, when the decision asks for it:
//   sign     the sender's signing certificate (key ring) validated for signing with the sender's
//            address; none or invalid ⇒ refused; expiring within 30 days ⇒ a warning;
//   client-signed  the signature the client made is verified through the trust service with the
//            sender's address; invalid ⇒ refused with the reason;
//   encrypt  every recipient (groups already expanded by the intake) resolved by the directory
//            resolver; any without a valid certificate ⇒ the WHOLE submission is refused, each
//            recipient named with its reason; the sender's own certificate and, for protected
//            labels, the gateway key are added.
// The result is a Plan (plan.hpp) committed with the message, plus trace events and the warnings
// for the 250 text; a refusal is Error{policy_refused} whose message has one line per refused
// recipient ("address: code: reason") — the SMTP reply map turns it into a multi-line
// 550 5.7.1 reply, the sync API into a 422 with the list.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/envelope.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/key_ring.hpp"
#include "smimegw/directory/resolver.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/transport/plan.hpp"
#include "smimegw/transport/policy_source.hpp"
#include "smimegw/transport/queue_store.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::transport {

struct GateOptions {
  std::string tenant_id;                      ///< organization.tenant_id
  std::vector<std::string> accepted_domains;  ///< lower-case
  int expiry_warning_days = 30;
  bool accept_sha1 = false;
  /// trust.revocation; checkCrlOnSend=false turns it off for the sender's own certificate.
  trust::RevocationMode revocation = trust::RevocationMode::require;
};

struct GateDeps {
  PolicySource& policy;
  directory::Resolver& resolver;
  directory::KeyRing& keys;
  directory::GatewayKeyService& gateway;
  trust::Validator& validator;
  QueueStore& queue;  ///< labels of answered messages
  const core::Clock& clock;
};

struct GateRecipient {
  std::string address;  ///< lower-case delivery address (after group expansion)
  bool bcc = false;
  std::vector<std::string> via;  ///< the group path that reached it
};

struct GateResult {
  Plan plan;
  bool needs_processing = false;  ///< false: the message can be delivered as received
  std::vector<TraceEvent> trace;  ///< queue_id left empty (the intake fills it)
  std::vector<std::string> warnings;
};

class PolicyGate {
 public:
  PolicyGate(GateDeps deps, GateOptions options);
  ~PolicyGate();
  boost::asio::awaitable<core::Result<GateResult>> evaluate(directory::User sender,
                                                            std::vector<GateRecipient> recipients,
                                                            std::shared_ptr<const std::string> raw);

 private:
  struct Work;
  boost::asio::awaitable<core::Status> check_signing(Work& w);
  boost::asio::awaitable<core::Status> check_client_signature(Work& w);
  boost::asio::awaitable<core::Status> choose_certificates(Work& w);
  GateDeps d_;
  GateOptions o_;
  boost::asio::thread_pool threads_{2};  ///< trust validation (may fetch CRLs)
};

}  // namespace smimegw::transport
