// transport: the delivery workers. Each of `concurrency` loops claims due recipients (leases, SKIP
// LOCKED — so several gateway instances share the queue), delivers them — local recipients into
// the mailbox store (exactly once), relay recipients grouped per message and destination into one
// SMTP transaction — and records the outcome: delivered; a temporary failure retried with the
// backoff schedule until max_age (one delay DSN after delay_dsn_after); a permanent failure (or
// max_age) failed, with a DSN to the sender when RFC 3461 allows; NOTIFY=SUCCESS gets a success
// DSN. While a batch is being delivered a heartbeat extends its leases every lease/2
// (owner-checked), so a slow delivery is not taken over by another instance. Idle loops sleep
// `poll` unless woken by a commit of this instance.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/directory/user_store.hpp"
#include "smimegw/transport/dsn.hpp"
#include "smimegw/transport/local_delivery.hpp"
#include "smimegw/transport/outbound.hpp"
#include "smimegw/transport/queue_store.hpp"
#include "smimegw/transport/relay.hpp"

namespace smimegw::transport {

struct WorkerOptions {
  std::string owner;  ///< this instance's lease owner id
  int concurrency = 8;
  int batch = 16;
  std::chrono::seconds lease{300};
  std::vector<std::chrono::seconds> backoff{std::chrono::seconds(60),   std::chrono::seconds(300),
                                            std::chrono::seconds(900),  std::chrono::seconds(1800),
                                            std::chrono::seconds(3600), std::chrono::seconds(7200)};
  std::chrono::seconds max_age{2 * 24 * 3600};
  std::chrono::seconds delay_dsn_after{4 * 3600};  ///< 0: no delay DSNs
  std::chrono::milliseconds poll{500};
  std::vector<std::string> accepted_domains;
  std::vector<RouteRule> routes;
  std::optional<Destination> smarthost;
  DsnContext dsn;
};

class Worker {
 public:
  Worker(boost::asio::any_io_executor ex, QueueStore& queue, directory::UserStore& users,
         RelayClient* relay, WorkerOptions opts);

  /// Optional processing steps (set before start()): the outbound steps for messages with a plan,
  /// and the local-delivery step for every copy stored in a mailbox. Both must outlive the worker.
  void set_outbound(OutboundProcessor* p) { outbound_ = p; }
  void set_local_processor(LocalProcessor* p) { local_ = p; }

  /// Starts the loops on the executor.
  void start();
  /// Loops finish their current batch and end.
  void stop();
  /// Ends the idle wait of every loop (called after a commit).
  void wake();
  /// One claim-and-deliver round plus due DSNs; returns how many recipients were handled.
  boost::asio::awaitable<int> run_once();
  /// Loops still running.
  int running() const { return running_; }

 private:
  boost::asio::awaitable<void> loop();
  struct Heartbeat;
  boost::asio::awaitable<void> heartbeat(std::shared_ptr<Heartbeat> hb);
  boost::asio::awaitable<void> deliver_message(std::int64_t row,
                                               std::vector<ClaimedRecipient> rcpts);
  /// Stores a local copy; returns the failure to record (nullopt: delivered, or lease lost).
  boost::asio::awaitable<std::optional<RelayResult>> deliver_local(const ClaimedRecipient& r,
                                                                   const QueuedMessage& m,
                                                                   std::string body);
  /// One recipient's result of this attempt, and the index of the copy it was given.
  struct Outcome {
    const ClaimedRecipient* rcpt;
    std::size_t copy;
    RelayResult result;
  };
  /// The copies of a message with a plan for `rcpts`: the stored ones (queue_copies) for those
  /// deferred before, freshly processed (outbound steps) for the others.
  boost::asio::awaitable<core::Result<std::vector<OutboundCopy>>> outbound_copies(
      const QueuedMessage& m, const std::vector<ClaimedRecipient>& rcpts);
  /// Stores each not yet stored copy that a deferred recipient of `outcomes` gets.
  boost::asio::awaitable<void> keep_copies(const QueuedMessage& m,
                                           std::vector<OutboundCopy>& copies,
                                           const std::vector<Outcome>& outcomes);
  /// Whether `result` leaves `r` pending for another attempt (temporary, younger than max_age).
  bool will_retry(const ClaimedRecipient& r, const RelayResult& result) const;
  /// Records the outcome; a retry that makes a delay DSN due adds the recipient to `delayed`.
  boost::asio::awaitable<void> finish(const ClaimedRecipient& r, const QueuedMessage& m,
                                      RelayResult result, std::vector<FailedRecipient>* delayed);
  boost::asio::awaitable<void> send_delay_dsn(QueuedMessage m,
                                              std::vector<FailedRecipient> delayed);
  boost::asio::awaitable<int> send_dsns();
  std::optional<NewMessage> dsn_for(const DsnDue& d, DsnKind kind) const;
  bool is_local(const std::string& address) const;

  boost::asio::any_io_executor ex_;
  QueueStore& queue_;
  directory::UserStore& users_;
  RelayClient* relay_;
  OutboundProcessor* outbound_ = nullptr;
  LocalProcessor* local_ = nullptr;
  WorkerOptions opts_;
  bool stopping_ = false;
  int running_ = 0;
  std::list<boost::asio::steady_timer> timers_;
};

/// A lease owner id for this process: "host:pid:random".
std::string instance_id();

}  // namespace smimegw::transport
