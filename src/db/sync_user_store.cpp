// db: the user of a sync token (http/sync_user_store.hpp).
#include "smimegw/db/pg_sync_user_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace {
constexpr Statement kFindUser{"sync_find_user",
                              "SELECT id, address, display_name, enabled FROM users WHERE id = $1"};
}  // namespace

boost::asio::awaitable<core::Result<std::optional<http::SyncUser>>> PgSyncUserStore::find_user(
    std::int64_t id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<http::SyncUser> {
    auto res = exec(tx, kFindUser, id);
    if (res.empty()) return std::nullopt;
    const auto& r = res[0];
    return http::SyncUser{r[0].as<std::int64_t>(), r[1].as<std::string>(),
                          r[2].is_null() ? std::string() : r[2].as<std::string>(), r[3].as<bool>()};
  });
}

}  // namespace smimegw::db
