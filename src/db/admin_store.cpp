// db: the admin API's own reads and changes (http/admin_store.hpp).
#include <chrono>

#include "smimegw/db/pg_admin_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;

namespace {

constexpr Statement kExpiring{
    "admin_expiring_certificates",
    "SELECT c.id, c.user_id, u.address, c.thumbprint, c.usage, c.source, "
    "  c.wrapped_key IS NOT NULL, extract(epoch FROM c.not_after)::float8 "
    "FROM user_certificates c JOIN users u ON u.id = c.user_id "
    "WHERE c.enabled AND c.not_after >= now() AND c.not_after < now() + make_interval(days => $1) "
    "ORDER BY c.not_after, c.id LIMIT $2 OFFSET $3"};
constexpr Statement kDeleteGroup{"admin_delete_group",
                                 "DELETE FROM groups WHERE address = $1 RETURNING id"};
constexpr Statement kSyncTokens{
    "admin_sync_tokens",
    "SELECT id, extract(epoch FROM created_at)::float8, extract(epoch FROM expires_at)::float8, "
    "  extract(epoch FROM last_used_at)::float8 FROM api_tokens "
    "WHERE kind = 'sync' AND user_id = $1 AND revoked_at IS NULL "
    "  AND (expires_at IS NULL OR expires_at > now()) ORDER BY id"};
constexpr Statement kRevokeSync{
    "admin_revoke_sync_tokens",
    "UPDATE api_tokens SET revoked_at = now() WHERE kind = 'sync' AND user_id = $1 "
    "  AND revoked_at IS NULL AND ($2::bigint IS NULL OR id = $2) RETURNING id"};

std::chrono::system_clock::time_point from_epoch(double s) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(s)));
}

std::optional<std::chrono::system_clock::time_point> maybe_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_epoch(f.as<double>());
}

}  // namespace

asio::awaitable<core::Result<std::vector<http::ExpiringCertificate>>>
PgAdminStore::expiring_certificates(int days, int limit, int offset) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<http::ExpiringCertificate> out;
    for (const auto& r : exec(tx, kExpiring, days, limit, offset)) {
      http::ExpiringCertificate c;
      c.id = r[0].as<std::int64_t>();
      c.user_id = r[1].as<std::int64_t>();
      c.address = r[2].as<std::string>();
      c.thumbprint = r[3].as<std::string>();
      c.usage = r[4].as<std::string>();
      c.source = r[5].as<std::string>();
      c.has_private_key = r[6].as<bool>();
      c.not_after = from_epoch(r[7].as<double>());
      out.push_back(std::move(c));
    }
    return out;
  });
}

asio::awaitable<core::Status> PgAdminStore::delete_group(std::string address) {
  auto r = co_await pool_.transact(
      [&](pqxx::work& tx) { return !exec(tx, kDeleteGroup, address).empty(); });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("group_not_found", "no group with address " + address);
  co_return core::Status{};
}

asio::awaitable<core::Result<std::vector<http::SyncTokenView>>> PgAdminStore::sync_tokens(
    std::int64_t user_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<http::SyncTokenView> out;
    for (const auto& r : exec(tx, kSyncTokens, user_id))
      out.push_back({r[0].as<std::int64_t>(), from_epoch(r[1].as<double>()), maybe_time(r[2]),
                     maybe_time(r[3])});
    return out;
  });
}

asio::awaitable<core::Result<int>> PgAdminStore::revoke_sync_tokens(
    std::int64_t user_id, std::optional<std::int64_t> token_id) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    return static_cast<int>(exec(tx, kRevokeSync, user_id, token_id).size());
  });
  if (!r) co_return r.error();
  if (token_id && *r == 0)
    co_return core::Error::make(
        "not_found", "no active sync token " + std::to_string(*token_id) + " of this user");
  co_return *r;
}

}  // namespace smimegw::db
