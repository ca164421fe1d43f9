// db: the administrative part of PgUserStore (users list / enable / disable); the lookups the
// transport uses are in user_store.cpp.
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using directory::User;

namespace {
constexpr Statement kList{"users_list",
                          "SELECT u.id, u.address, u.display_name, u.enabled, "
                          "coalesce(string_agg(p.address, ' ' ORDER BY p.address), '') "
                          "FROM users u LEFT JOIN user_addresses p ON p.user_id = u.id "
                          "GROUP BY u.id ORDER BY u.address"};
// The page is cut from users (index on address) before the proxies are joined.
constexpr Statement kListPage{
    "users_list_page",
    "SELECT u.id, u.address, u.display_name, u.enabled, "
    "coalesce(string_agg(p.address, ' ' ORDER BY p.address), '') "
    "FROM (SELECT id, address, display_name, enabled FROM users ORDER BY address "
    "LIMIT $2 OFFSET $1) u LEFT JOIN user_addresses p ON p.user_id = u.id "
    "GROUP BY u.id, u.address, u.display_name, u.enabled ORDER BY u.address"};
constexpr Statement kFindById{"users_find_by_id",
                              "SELECT u.id, u.address, u.display_name, u.enabled, "
                              "coalesce(string_agg(p.address, ' ' ORDER BY p.address), '') "
                              "FROM users u LEFT JOIN user_addresses p ON p.user_id = u.id "
                              "WHERE u.id = $1 GROUP BY u.id"};
constexpr Statement kSetEnabled{
    "users_set_enabled",
    "UPDATE users SET enabled = $2 WHERE address = $1 OR id = (SELECT user_id FROM user_addresses "
    "WHERE address = $1) RETURNING id"};

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

/// A row of kList, kListPage or kFindById.
User user_of(const pqxx::row& row) {
  User u;
  u.id = row[0].as<std::int64_t>();
  u.address = row[1].as<std::string>();
  u.display_name = row[2].as<std::string>();
  u.enabled = row[3].as<bool>();
  u.proxy_addresses = split_spaces(row[4].as<std::string>());
  return u;
}

std::vector<User> users_of(const pqxx::result& res) {
  std::vector<User> users;
  users.reserve(res.size());
  for (const auto& row : res) users.push_back(user_of(row));
  return users;
}
}  // namespace

asio::awaitable<core::Result<std::vector<User>>> PgUserStore::list() {
  co_return co_await pool_.transact([](pqxx::work& tx) { return users_of(exec(tx, kList)); });
}

asio::awaitable<core::Result<std::vector<User>>> PgUserStore::list_page(std::int64_t skip,
                                                                        std::int64_t limit) {
  co_return co_await pool_.transact(
      [&](pqxx::work& tx) { return users_of(exec(tx, kListPage, skip, limit)); });
}

asio::awaitable<core::Result<std::optional<User>>> PgUserStore::find_by_id(std::int64_t id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<User> {
    auto res = exec(tx, kFindById, id);
    if (res.empty()) return std::nullopt;
    return user_of(res[0]);
  });
}

asio::awaitable<core::Status> PgUserStore::set_enabled(std::string address, bool enabled) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return !exec(tx, kSetEnabled, address, enabled).empty(); });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("not_found", "no user with address " + address);
  co_return core::Status{};
}

}  // namespace smimegw::db
