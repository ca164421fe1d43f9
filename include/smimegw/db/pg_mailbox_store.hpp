// db: PostgreSQL implementation of mailbox::MailboxStore (migration 0010).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/mailbox/mailbox_store.hpp"

namespace smimegw::db {

class PgMailboxStore final : public mailbox::MailboxStore {
 public:
  explicit PgMailboxStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::vector<mailbox::ChangeRow>>> changes(
      std::string mailbox, std::string folder, std::int64_t after, int limit,
      int head_bytes) override;
  boost::asio::awaitable<core::Result<std::int64_t>> high_water() override;
  boost::asio::awaitable<core::Result<std::optional<mailbox::StoredMessage>>> find(
      std::string mailbox, std::int64_t id, int head_bytes) override;
  boost::asio::awaitable<core::Result<bool>> remove(std::string mailbox, std::int64_t id) override;
  boost::asio::awaitable<core::Result<std::int64_t>> append(mailbox::NewMessage msg) override;
  boost::asio::awaitable<core::Result<std::int64_t>> purge(std::int64_t older_than_s) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
