// transport: Intake, the MessageSink behind every SMTP listener (and later the sync API's
// sendMail).
//
// Flow for one message: RCPT-time checks (recipient in an accepted domain must be a known, enabled
// user: 550 5.1.1 unknown_user; a foreign domain on the inbound listener: 554 5.7.1 relay_denied)
// (a client in relay_networks may relay through the inbound listener, as Postfix's mynetworks)
// → after DATA: parse the top-level header (limits as the mime module's), on submission check that
// the envelope sender and every From: address belong to the authenticated user (550 5.7.60
// send_as_denied), route each recipient (local mailbox or relay), ask the policy step (allows
// everything until the policy issue lands), commit message + recipients in one transaction, and
// only then return the queue id (the SMTP server's 250). Groups among the recipients are expanded
// into their members first; authenticated mail then passes the policy gate (policy_gate.hpp),
// whose plan and trace are committed with the message and whose refusals answer the client. Any
// database failure is a temporary error (451 4.3.0), so the client retries and nothing is lost.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smimegw/core/message_sink.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "smimegw/directory/group_store.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/transport/networks.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::transport {

class PolicyGate;

struct IntakeOptions {
  std::string source = "inbound";             ///< inbound | submission | api
  std::vector<std::string> accepted_domains;  ///< lower-case
  Networks relay_networks;  ///< inbound: clients in these may relay without AUTH (mynetworks)
};

/// Called after each successful commit (wakes the delivery workers).
using CommitHook = std::function<void()>;

class Intake final : public core::MessageSink {
 public:
  Intake(QueueStore& queue, directory::UserStore& users, IntakeOptions opts,
         CommitHook on_commit = {});

  boost::asio::awaitable<core::RecipientVerdict> check_recipient(
      const core::Envelope& env, const core::Recipient& rcpt) override;
  boost::asio::awaitable<core::Result<core::Accepted>> accept(core::Envelope env,
                                                              std::string message) override;

  bool is_local_domain(const std::string& domain) const;

  /// Distribution groups: a group address of ours is accepted at RCPT and expanded (nested) into
  /// its members before commit. Both must outlive the intake.
  void set_groups(directory::GroupStore* groups, directory::GroupExpander* expander) {
    groups_ = groups;
    expander_ = expander;
  }
  /// The policy decision for authenticated mail (submission, api); must outlive the intake.
  void set_policy_gate(PolicyGate* gate) { gate_ = gate; }

  struct Expanded;  ///< the delivery recipients after group expansion (intake.cpp)

 private:
  boost::asio::awaitable<core::Result<Expanded>> expand(core::Envelope env,
                                                        std::vector<std::string> named);
  directory::GroupStore* groups_ = nullptr;
  directory::GroupExpander* expander_ = nullptr;
  PolicyGate* gate_ = nullptr;
  QueueStore& queue_;
  directory::UserStore& users_;
  IntakeOptions opts_;
  CommitHook on_commit_;
};

/// A new queue id: 16 characters of [0-9A-Z] (time-ordered prefix, random rest).
std::string new_queue_id();

}  // namespace smimegw::transport
