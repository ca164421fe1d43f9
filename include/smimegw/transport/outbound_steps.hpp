// transport: OutboundSteps, the OutboundProcessor the daemon uses (outbound.hpp): carries out a
// Plan (plan.hpp) on the queued bytes —
//   1. marking (mime::mark) into text/plain and text/html parts, unless the client signed or
//      encrypted the message itself (then the marking is skipped and traced);
//   2. header: X-Smimegw-Sign / X-Smimegw-Encrypt removed, msip_labels written or removed;
//   3. clear-signing with the sender's current signing key (key ring; one prepared signing
//      context per certificate, reused across messages);
//   4. encryption: one copy to every non-Bcc recipient's certificate + the sender's + the gateway
//      key's; each Bcc recipient (one_copy_per_bcc) gets a copy of its own, so no recipient list
//      reveals a Bcc.
// Failures: plan_invalid, marking/sign/encrypt errors are permanent (the recipients fail with a
// DSN naming the reason); a key ring or vault that is unavailable is temporary. No step ever
// falls back to a clear copy.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "smimegw/cms/signing_context.hpp"
#include "smimegw/core/clock.hpp"
#include "smimegw/directory/key_ring.hpp"
#include "smimegw/transport/outbound.hpp"
#include "smimegw/transport/plan.hpp"
#include "smimegw/transport/trace_store.hpp"

namespace smimegw::transport {

class OutboundSteps final : public OutboundProcessor {
 public:
  /// `trace` may be null.
  OutboundSteps(directory::KeyRing& keys, TraceStore* trace, const core::Clock& clock);

  boost::asio::awaitable<core::Result<std::vector<OutboundCopy>>> process(
      QueuedMessage message, std::vector<std::string> recipients) override;

 private:
  core::Result<std::shared_ptr<const cms::SigningContext>> context_for(
      const directory::KeyMaterial& km, const std::string& digest);
  directory::KeyRing& keys_;
  TraceStore* trace_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const cms::SigningContext>> contexts_;
};

/// The plain part of the steps (1, 2 and 4 given a signed body): exposed for tests.
namespace outbound {
/// Steps 1–2 on `body`; `notes` gets what was skipped.
core::Result<std::string> mark_and_label(const std::string& body, const Plan& plan,
                                         std::vector<std::string>& notes);
/// Step 4: the copies for `recipients` of the (signed) `content`.
core::Result<std::vector<OutboundCopy>> encrypt_copies(const std::string& content, const Plan& plan,
                                                       const std::vector<std::string>& recipients);
}  // namespace outbound

}  // namespace smimegw::transport
