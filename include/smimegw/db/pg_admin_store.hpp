// db: PostgreSQL implementation of http::AdminStore (the admin API's own reads and changes).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/http/admin_store.hpp"

namespace smimegw::db {

class PgAdminStore final : public http::AdminStore {
 public:
  explicit PgAdminStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::vector<http::ExpiringCertificate>>>
  expiring_certificates(int days, int limit, int offset) override;
  boost::asio::awaitable<core::Status> delete_group(std::string address) override;
  boost::asio::awaitable<core::Result<std::vector<http::SyncTokenView>>> sync_tokens(
      std::int64_t user_id) override;
  boost::asio::awaitable<core::Result<int>> revoke_sync_tokens(
      std::int64_t user_id, std::optional<std::int64_t> token_id) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
