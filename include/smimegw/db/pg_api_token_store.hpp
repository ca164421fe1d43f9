// db: PostgreSQL implementation of http::ApiTokenStore (table api_tokens, migration 0008).
#pragma once

#include "smimegw/db/pool.hpp"
#include "smimegw/http/api_token_store.hpp"

namespace smimegw::db {

class PgApiTokenStore final : public http::ApiTokenStore {
 public:
  explicit PgApiTokenStore(Pool& pool) : pool_(pool) {}
  boost::asio::awaitable<core::Result<std::int64_t>> create(http::ApiToken token) override;
  boost::asio::awaitable<core::Result<std::vector<http::ApiToken>>> list(std::string kind) override;
  boost::asio::awaitable<core::Result<http::ApiToken>> revoke(std::string kind,
                                                              std::string name_or_id) override;
  boost::asio::awaitable<core::Result<std::optional<http::ApiToken>>> find_active(
      std::string kind, std::string hash) override;

 private:
  Pool& pool_;
};

}  // namespace smimegw::db
