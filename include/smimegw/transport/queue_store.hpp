// transport: storage interface of the durable queue (tables queue_messages, queue_recipients,
// mailbox_messages). Declared here, implemented by db (src/db/queue_store.cpp); includes only core.
//
// State machine of one queue recipient (the unit of delivery):
//
//   enqueue -> pending --claim--> pending + lease (owner, expiry; heartbeat extends it)
//     lease expired (crashed or stuck instance) -> claimable again by any instance
//     retry     -> pending, attempts+1, next_attempt_at = now + backoff;
//                  once older than queue.delay_dsn_after_s: one delay DSN (dsn_state=delay_sent)
//     delivered -> final (local copy stored in the same transaction);
//                  NOTIFY=SUCCESS: dsn_state=due -> "delivered"/"relayed" DSN -> sent
//     failed    -> final; dsn_state=due -> failure DSN enqueued -> sent | suppressed
//
// * enqueue commits the message and all its recipients in ONE transaction; only then does the
//   SMTP server say 250 (ARCHITECTURE invariant 1).
// * claim takes due recipients with FOR UPDATE SKIP LOCKED and stamps a lease (owner, expiry), so
//   several instances share one database; a recipient whose lease expired is claimable again.
// * every completion names the lease owner and changes nothing if the lease was lost (another
//   instance took over), so a slow instance cannot overwrite a newer outcome.
// * local delivery inserts the mailbox row keyed by the recipient row (unique): a retry after a
//   crash between insert and state change can never store a second copy.
// * a relay delivery that succeeded remotely but whose commit was lost is re-sent (at-least-once).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/transport/trace_store.hpp"

namespace smimegw::transport {

using TimePoint = std::chrono::system_clock::time_point;

enum class Route { Local, Relay };

/// The mailbox row to store for one local recipient.
struct LocalCopy {
  std::string body;        ///< the MIME the mailbox keeps (sealed when `sealed`)
  std::string smime_json;  ///< JSON object (mailbox_messages.smime); "" = none
  std::string label_id;    ///< sensitivity label (lower-case GUID); "" = none
  bool sealed = false;     ///< body is application/pkcs7-mime to the gateway key + owner
};

struct NewRecipient {
  std::string address;
  std::string orcpt;
  unsigned notify = 0;
  Route route = Route::Relay;
};

struct NewMessage {
  std::string queue_id;
  std::string source;  ///< inbound | submission | api | dsn
  std::string mail_from;
  std::optional<std::string> auth_user;
  std::string client_address;
  std::string envid;
  std::string ret;
  std::string message_id;
  std::string body;
  std::vector<NewRecipient> recipients;
  std::string plan_json;  ///< the intake's plan (transport/plan.hpp); "" = deliver as received
  std::string label_id;   ///< the message's sensitivity label; "" = none
  std::vector<TraceEvent> trace;  ///< intake decisions, committed with the message
};

struct ClaimedRecipient {
  std::int64_t id = 0;
  std::int64_t message_row = 0;
  std::string queue_id;
  std::string address;
  Route route = Route::Relay;
  unsigned notify = 0;
  std::string orcpt;
  int attempts = 0;  ///< before this attempt
  TimePoint received_at;
  bool delay_dsn_sent = false;  ///< a delay DSN went out for this recipient already
  std::int64_t copy_id = 0;     ///< the stored processed copy it gets (0: none stored)
};

struct QueuedMessage {
  std::int64_t row = 0;
  std::string queue_id;
  std::string source;
  std::string mail_from;
  std::string envid;
  std::string ret;
  std::string message_id;
  TimePoint received_at;
  std::string body;
  std::string plan_json;  ///< "" = deliver as received
  std::string label_id;
  std::optional<std::string> auth_user;
};

/// A recipient a DSN reports on (failed, or delivered/relayed with NOTIFY=SUCCESS, or delayed).
struct FailedRecipient {
  std::int64_t id = 0;
  std::string address;
  std::string orcpt;
  std::string last_reply;
  std::string action = "failed";  ///< RFC 3464 Action: failed | delayed | delivered | relayed
};

/// A message with recipients whose DSN (failure or success) is due.
struct DsnDue {
  QueuedMessage message;
  std::vector<FailedRecipient> failed;
};

struct QueueEntry {  ///< for `smimegw queue list|show`
  std::string queue_id;
  std::string source;
  std::string mail_from;
  TimePoint received_at;
  std::int64_t size_bytes = 0;
  struct Rcpt {
    std::string address;
    std::string route;
    std::string state;
    int attempts = 0;
    TimePoint next_attempt_at;
    std::string last_reply;
  };
  std::vector<Rcpt> recipients;
};

class QueueStore {
 public:
  virtual ~QueueStore() = default;
  virtual boost::asio::awaitable<core::Status> enqueue(NewMessage msg) = 0;
  virtual boost::asio::awaitable<core::Result<std::vector<ClaimedRecipient>>> claim(
      std::string owner, std::chrono::seconds lease, int max) = 0;
  virtual boost::asio::awaitable<core::Result<QueuedMessage>> load(std::int64_t message_row) = 0;
  /// Stores the local copy and marks the recipient delivered, idempotently; `success_dsn` makes
  /// a "delivered" DSN due (NOTIFY=SUCCESS). `copy` nullopt stores the queued bytes unchanged.
  virtual boost::asio::awaitable<core::Status> deliver_local(ClaimedRecipient rcpt,
                                                             std::string owner, std::string mailbox,
                                                             bool success_dsn,
                                                             std::optional<LocalCopy> copy) = 0;
  /// `success_dsn` makes a "relayed" DSN due (NOTIFY=SUCCESS and the next hop has no DSN).
  virtual boost::asio::awaitable<core::Status> mark_delivered(std::int64_t rcpt, std::string owner,
                                                              std::string reply,
                                                              bool success_dsn) = 0;
  /// Heartbeat: pushes the lease of those `rcpts` still owned by `owner` to now + `lease`;
  /// returns how many it extended (fewer: another instance took some over).
  virtual boost::asio::awaitable<core::Result<int>> extend_lease(std::vector<std::int64_t> rcpts,
                                                                 std::string owner,
                                                                 std::chrono::seconds lease) = 0;
  /// Marks the delay DSN of `rcpts` sent (once per recipient) and enqueues `dsn`, in one
  /// transaction; enqueues nothing when every recipient had its delay DSN already.
  virtual boost::asio::awaitable<core::Status> complete_delay_dsn(std::vector<std::int64_t> rcpts,
                                                                  NewMessage dsn) = 0;
  virtual boost::asio::awaitable<core::Status> mark_retry(std::int64_t rcpt, std::string owner,
                                                          std::string reply, TimePoint next) = 0;
  /// Final failure; `dsn` says whether a DSN is due (NOTIFY and null-sender rules applied by
  /// caller).
  virtual boost::asio::awaitable<core::Status> mark_failed(std::int64_t rcpt, std::string owner,
                                                           std::string reply, bool dsn) = 0;
  /// Stores a processed copy of message `message_row` for those of `rcpts` still leased by `owner`
  /// that have no stored copy yet, in one transaction; returns its id (0: no recipient took it).
  virtual boost::asio::awaitable<core::Result<std::int64_t>> store_copy(
      std::string owner, std::int64_t message_row, std::string body,
      std::vector<std::int64_t> rcpts) = 0;
  /// The stored copies with these ids (id -> body); a missing id is absent from the map.
  virtual boost::asio::awaitable<core::Result<std::map<std::int64_t, std::string>>> load_copies(
      std::vector<std::int64_t> ids) = 0;
  /// Claims messages with a due DSN (lease as for recipients).
  virtual boost::asio::awaitable<core::Result<std::vector<DsnDue>>> claim_dsn(std::string owner,
                                                                              int max) = 0;
  /// Enqueues the DSN message and marks the recipients' DSN sent, in one transaction.
  virtual boost::asio::awaitable<core::Status> complete_dsn(std::vector<std::int64_t> rcpts,
                                                            std::optional<NewMessage> dsn) = 0;

  /// The sensitivity labels (ids) of the messages with these Message-IDs, from the queue and
  /// the mailboxes (a reply inherits the label of what it answers).
  virtual boost::asio::awaitable<core::Result<std::vector<std::string>>> labels_of(
      std::vector<std::string> message_ids) = 0;

  // Administration (`smimegw queue …`, later the REST API).
  virtual boost::asio::awaitable<core::Result<std::vector<QueueEntry>>> list(bool pending_only,
                                                                             int limit) = 0;
  virtual boost::asio::awaitable<core::Result<std::optional<QueueEntry>>> show(
      std::string queue_id) = 0;
  /// Makes pending recipients due now and failed ones pending again; `not_found` if no such id.
  virtual boost::asio::awaitable<core::Result<int>> retry(std::string queue_id) = 0;
  virtual boost::asio::awaitable<core::Status> remove(std::string queue_id) = 0;
};

}  // namespace smimegw::transport
