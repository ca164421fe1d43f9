#include <chrono>

#include "smimegw/db/pg_api_token_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using http::ApiToken;

namespace {

constexpr Statement kInsert{
    "api_tokens_insert",
    "INSERT INTO api_tokens (name, kind, hash, user_id, expires_at) "
    "VALUES ($1, $2, $3, $4, to_timestamp($5)) ON CONFLICT DO NOTHING RETURNING id"};
constexpr Statement kList{
    "api_tokens_list",
    "SELECT id, name, kind, hash, user_id, extract(epoch FROM created_at)::float8, "
    "extract(epoch FROM last_used_at)::float8, extract(epoch FROM expires_at)::float8, "
    "extract(epoch FROM revoked_at)::float8 FROM api_tokens WHERE kind = $1 ORDER BY id"};
constexpr Statement kRevoke{
    "api_tokens_revoke",
    "UPDATE api_tokens SET revoked_at = now() WHERE kind = $1 AND revoked_at IS NULL "
    "AND (name = $2 OR id::text = $2) RETURNING id, name, kind, hash, user_id, "
    "extract(epoch FROM created_at)::float8, extract(epoch FROM last_used_at)::float8, "
    "extract(epoch FROM expires_at)::float8, extract(epoch FROM revoked_at)::float8"};
constexpr Statement kFindActive{
    "api_tokens_find_active",
    "SELECT id, name, kind, hash, user_id, extract(epoch FROM created_at)::float8, "
    "extract(epoch FROM last_used_at)::float8, extract(epoch FROM expires_at)::float8, "
    "extract(epoch FROM revoked_at)::float8 FROM api_tokens WHERE hash = $1 AND kind = $2 "
    "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"};
// last_used_at is written at most once a minute per token, so authentication stays a read.
constexpr Statement kTouch{
    "api_tokens_touch",
    "UPDATE api_tokens SET last_used_at = now() WHERE id = $1 "
    "AND (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds')"};

ApiToken::TimePoint from_epoch(double s) {
  return ApiToken::TimePoint(
      std::chrono::duration_cast<ApiToken::TimePoint::duration>(std::chrono::duration<double>(s)));
}

std::optional<ApiToken::TimePoint> opt_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_epoch(f.as<double>());
}

ApiToken read_token(const pqxx::row& r) {
  ApiToken t;
  t.id = r[0].as<std::int64_t>();
  t.name = r[1].as<std::string>();
  t.kind = r[2].as<std::string>();
  t.hash = r[3].as<std::string>();
  if (!r[4].is_null()) t.user_id = r[4].as<std::int64_t>();
  t.created_at = from_epoch(r[5].as<double>());
  t.last_used_at = opt_time(r[6]);
  t.expires_at = opt_time(r[7]);
  t.revoked_at = opt_time(r[8]);
  return t;
}

}  // namespace

asio::awaitable<core::Result<std::int64_t>> PgApiTokenStore::create(ApiToken token) {
  std::optional<double> expires;
  if (token.expires_at)
    expires = std::chrono::duration<double>(token.expires_at->time_since_epoch()).count();
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::int64_t {
    auto res = exec(tx, kInsert, token.name, token.kind, token.hash, token.user_id, expires);
    return res.empty() ? -1 : res[0][0].as<std::int64_t>();
  });
  if (!r) co_return r.error();
  if (*r < 0)
    co_return core::Error::make(
        "db_duplicate", "an active " + token.kind + " token named " + token.name + " exists");
  co_return *r;
}

asio::awaitable<core::Result<std::vector<ApiToken>>> PgApiTokenStore::list(std::string kind) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<ApiToken> out;
    for (const auto& row : exec(tx, kList, kind)) out.push_back(read_token(row));
    return out;
  });
}

asio::awaitable<core::Result<ApiToken>> PgApiTokenStore::revoke(std::string kind,
                                                                std::string name_or_id) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) -> std::optional<ApiToken> {
    auto res = exec(tx, kRevoke, kind, name_or_id);
    if (res.empty()) return std::nullopt;
    return read_token(res[0]);
  });
  if (!r) co_return r.error();
  if (!*r) co_return core::Error::make("not_found", "no active " + kind + " token " + name_or_id);
  co_return std::move(**r);
}

asio::awaitable<core::Result<std::optional<ApiToken>>> PgApiTokenStore::find_active(
    std::string kind, std::string hash) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<ApiToken> {
    auto res = exec(tx, kFindActive, hash, kind);
    if (res.empty()) return std::nullopt;
    auto t = read_token(res[0]);
    exec(tx, kTouch, t.id);
    return t;
  });
}

}  // namespace smimegw::db
