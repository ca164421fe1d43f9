// db: PostgreSQL implementation of directory::GroupStore (tables groups, group_members, migration
// 0006). Awaitable (Pool::transact), so it may be called from the event loop. Errors: see
// group_store.hpp, plus db_unavailable (transient).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/directory/group_store.hpp"

namespace smimegw::db {

class PgGroupStore final : public directory::GroupStore {
 public:
  explicit PgGroupStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::int64_t>> create(std::string address,
                                                            std::string display_name) override;
  boost::asio::awaitable<core::Result<std::vector<directory::Group>>> list() override;
  boost::asio::awaitable<core::Result<std::optional<directory::Group>>> find(
      std::string address) override;
  boost::asio::awaitable<core::Result<std::vector<std::string>>> groups_among(
      std::vector<std::string> addresses) override;
  boost::asio::awaitable<core::Result<std::vector<directory::GroupMember>>> change_members(
      std::string group_address, std::vector<std::string> add,
      std::vector<std::string> remove) override;
  boost::asio::awaitable<core::Result<directory::GroupGraph>> load_graph(
      std::string address, std::size_t max_edges) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
