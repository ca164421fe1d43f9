#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using directory::User;

namespace {
constexpr Statement kFind{
    "users_find",
    "SELECT u.id, u.address, u.display_name, u.password_hash, u.enabled FROM users u "
    "WHERE u.address = $1 OR u.id = (SELECT user_id FROM user_addresses WHERE address = $1)"};
constexpr Statement kProxies{
    "users_proxies", "SELECT address FROM user_addresses WHERE user_id = $1 ORDER BY address"};
constexpr Statement kInsertUser{"users_insert_user",
                                "INSERT INTO users (address, display_name, password_hash, enabled) "
                                "VALUES ($1,$2,$3,$4) RETURNING id"};
constexpr Statement kInsertProxy{"users_insert_proxy",
                                 "INSERT INTO user_addresses (address, user_id) VALUES ($1,$2)"};
constexpr Statement kAddressTaken{"users_address_taken",
                                  "SELECT 1 FROM users WHERE address = $1 UNION ALL SELECT 1 FROM "
                                  "user_addresses WHERE address = $1"};
}  // namespace

asio::awaitable<core::Result<std::optional<User>>> PgUserStore::find_by_address(
    std::string address) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<User> {
    auto res = exec(tx, kFind, address);
    if (res.empty()) return std::nullopt;
    User u;
    u.id = res[0][0].as<std::int64_t>();
    u.address = res[0][1].as<std::string>();
    u.display_name = res[0][2].as<std::string>();
    u.password_hash = res[0][3].as<std::string>();
    u.enabled = res[0][4].as<bool>();
    for (const auto& row : exec(tx, kProxies, u.id))
      u.proxy_addresses.push_back(row[0].as<std::string>());
    return u;
  });
}

asio::awaitable<core::Result<std::int64_t>> PgUserStore::create(User user) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::int64_t {
    // users.address and user_addresses.address are separate unique keys: check across both
    for (const auto& a : user.proxy_addresses)
      if (!exec(tx, kAddressTaken, a).empty()) return -1;
    if (!exec(tx, kAddressTaken, user.address).empty()) return -1;
    auto id =
        exec1(tx, kInsertUser, user.address, user.display_name, user.password_hash, user.enabled)[0]
            .as<std::int64_t>();
    for (const auto& a : user.proxy_addresses) exec(tx, kInsertProxy, a, id);
    return id;
  });
  if (!r) co_return r.error();
  if (*r < 0)
    co_return core::Error::make("db_duplicate", "address already belongs to a user or group");
  co_return *r;
}

}  // namespace smimegw::db
