// transport: OutboundSteps, the OutboundProcessor the daemon uses (outbound.hpp): carries out a
// Plan (plan.hpp) on the queued bytes —
//   1. marking (mime::mark) into text/plain and text/html parts, unless the client signed or
//      encrypted the message itself (then the marking is skipped and traced);
//   2. header: X-Smimegw-Sign / X-Smimegw-Encrypt removed, msip_labels written or removed;
//   3. clear-signing with the sender's current signing key (key ring; one prepared signing
//      context per certificate, digest and includeChain, reused across messages), carrying the
//      issuers the setting includeChain asks for (signing_chain.hpp);
//   4. encryption: one copy to every non-Bcc recipient's certificate + the sender's + the gateway
//      key's; each Bcc recipient (one_copy_per_bcc) gets a copy of its own, so no recipient list
//      reveals a Bcc.
// Failures: plan_invalid, marking/sign/encrypt errors are permanent (the recipients fail with a
// DSN naming the reason); a key ring or vault that is unavailable is temporary. No step ever
// falls back to a clear copy.
// Threads: the key ring and trace are read/written on the caller's executor; marking, signing and
// encryption run on the steps' own thread pool, so the event loop keeps serving SMTP meanwhile and
// several messages use several cores.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "smimegw/cms/signing_context.hpp"
#include "smimegw/core/clock.hpp"
#include "smimegw/directory/key_ring.hpp"
#include "smimegw/transport/outbound.hpp"
#include "smimegw/transport/plan.hpp"
#include "smimegw/transport/signing_chain.hpp"
#include "smimegw/transport/trace_store.hpp"

namespace smimegw::transport {

struct StepsOptions {
  int threads = 2;    ///< CMS threads (the daemon uses one per core)
  ChainLookup chain;  ///< issuers for includeChain; unset: the signer's certificate only
};

class OutboundSteps final : public OutboundProcessor {
 public:
  /// `trace` may be null.
  OutboundSteps(directory::KeyRing& keys, TraceStore* trace, const core::Clock& clock,
                StepsOptions options = {});
  ~OutboundSteps() override;

  boost::asio::awaitable<core::Result<std::vector<OutboundCopy>>> process(
      QueuedMessage message, std::vector<std::string> recipients) override;

 private:
  struct Job;
  void compute(Job& job);
  core::Result<std::shared_ptr<const cms::SigningContext>> context_for(
      const directory::KeyMaterial& km, const std::string& digest, const std::string& include_chain,
      std::size_t& carried);
  directory::KeyRing& keys_;
  TraceStore* trace_;
  const core::Clock& clock_;
  StepsOptions options_;
  std::mutex mu_;
  struct Prepared {
    std::shared_ptr<const Botan::Private_Key> key;  ///< the context borrows it
    std::shared_ptr<const cms::SigningContext> context;
    std::size_t carried = 0;  ///< issuers carried besides the signer's certificate
    std::chrono::steady_clock::time_point made;  ///< rebuilt after kContextLifetime
  };
  /// A prepared context is rebuilt after this long, so a changed collection (a new intermediate
  /// for includeChain) reaches the signatures without a restart.
  static constexpr std::chrono::minutes kContextLifetime{10};
  std::map<std::string, Prepared> contexts_;  ///< thumbprint/digest/includeChain
  boost::asio::thread_pool threads_;
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
