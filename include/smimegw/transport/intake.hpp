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
// only then return the queue id (the SMTP server's 250). Any database failure is a temporary error
// (451 4.3.0), so the client retries and nothing is lost.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "smimegw/core/message_sink.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/transport/networks.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::transport {

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

 private:
  QueueStore& queue_;
  directory::UserStore& users_;
  IntakeOptions opts_;
  CommitHook on_commit_;
};

/// A new queue id: 16 characters of [0-9A-Z] (time-ordered prefix, random rest).
std::string new_queue_id();

}  // namespace smimegw::transport
