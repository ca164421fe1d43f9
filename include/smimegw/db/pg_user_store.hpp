// db: PostgreSQL implementation of directory::UserStore.
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/directory/user_store.hpp"

namespace smimegw::db {

class PgUserStore final : public directory::UserStore {
 public:
  explicit PgUserStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::optional<directory::User>>> find_by_address(
      std::string address) override;
  boost::asio::awaitable<core::Result<std::int64_t>> create(directory::User user) override;
  boost::asio::awaitable<core::Result<std::vector<directory::User>>> list() override;
  boost::asio::awaitable<core::Result<std::vector<directory::User>>> list_page(
      std::int64_t skip, std::int64_t limit) override;
  boost::asio::awaitable<core::Result<std::optional<directory::User>>> find_by_id(
      std::int64_t id) override;
  boost::asio::awaitable<core::Status> set_enabled(std::string address, bool enabled) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
