// db: PostgreSQL implementation of transport::QueueStore (see that header for the state machine).
// enqueue() group-commits concurrent callers (src/db/queue_enqueue.cpp); the worker-side updates
// (claim, outcomes, lease heartbeat) commit with synchronous_commit off: losing one in a database
// crash only repeats a delivery attempt (at-least-once for relay; a local copy is keyed by its
// recipient row, and local delivery commits synchronously).
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "smimegw/db/pool.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::db {

class PgQueueStore final : public transport::QueueStore {
 public:
  explicit PgQueueStore(Pool& pool) : pool_(pool) {}

  boost::asio::awaitable<core::Status> enqueue(transport::NewMessage msg) override;
  boost::asio::awaitable<core::Result<std::vector<transport::ClaimedRecipient>>> claim(
      std::string owner, std::chrono::seconds lease, int max) override;
  boost::asio::awaitable<core::Result<transport::QueuedMessage>> load(std::int64_t row) override;
  boost::asio::awaitable<core::Result<std::vector<std::string>>> labels_of(
      std::vector<std::string> message_ids) override;
  boost::asio::awaitable<core::Status> deliver_local(
      transport::ClaimedRecipient rcpt, std::string owner, std::string mailbox, bool success_dsn,
      std::optional<transport::LocalCopy> copy) override;
  boost::asio::awaitable<core::Status> mark_delivered(std::int64_t rcpt, std::string owner,
                                                      std::string reply, bool success_dsn) override;
  boost::asio::awaitable<core::Result<int>> extend_lease(std::vector<std::int64_t> rcpts,
                                                         std::string owner,
                                                         std::chrono::seconds lease) override;
  boost::asio::awaitable<core::Status> complete_delay_dsn(std::vector<std::int64_t> rcpts,
                                                          transport::NewMessage dsn) override;
  boost::asio::awaitable<core::Status> mark_retry(std::int64_t rcpt, std::string owner,
                                                  std::string reply,
                                                  transport::TimePoint next) override;
  boost::asio::awaitable<core::Status> mark_failed(std::int64_t rcpt, std::string owner,
                                                   std::string reply, bool dsn) override;
  boost::asio::awaitable<core::Result<std::int64_t>> store_copy(
      std::string owner, std::int64_t message_row, std::string body,
      std::vector<std::int64_t> rcpts) override;
  boost::asio::awaitable<core::Result<std::map<std::int64_t, std::string>>> load_copies(
      std::vector<std::int64_t> ids) override;
  boost::asio::awaitable<core::Result<std::vector<transport::DsnDue>>> claim_dsn(std::string owner,
                                                                                 int max) override;
  boost::asio::awaitable<core::Status> complete_dsn(
      std::vector<std::int64_t> rcpts, std::optional<transport::NewMessage> dsn) override;
  boost::asio::awaitable<core::Result<std::vector<transport::QueueEntry>>> list(bool pending_only,
                                                                                int limit) override;
  boost::asio::awaitable<core::Result<std::optional<transport::QueueEntry>>> show(
      std::string queue_id) override;
  boost::asio::awaitable<core::Result<int>> retry(std::string queue_id) override;
  boost::asio::awaitable<core::Status> remove(std::string queue_id) override;

 private:
  struct Waiter;
  std::vector<std::shared_ptr<Waiter>> take_batch();
  boost::asio::awaitable<void> flush_enqueued();

  Pool& pool_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Waiter>> pending_;  ///< enqueues waiting for the next commit
  bool flushing_ = false;
};

}  // namespace smimegw::db
