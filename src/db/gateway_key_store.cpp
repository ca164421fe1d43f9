// db: the organisation's gateway keys (directory/gateway_key.hpp; table gateway_keys, 0011).
#include "certificate_rows.hpp"
#include "smimegw/db/pg_gateway_key_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using directory::GatewayKeyRow;
using namespace certrows;

namespace {

constexpr Statement kList{"gateway_keys_list",
                          "SELECT id, der, thumbprint, key_ciphertext, kek_id, active "
                          "FROM gateway_keys ORDER BY active DESC, id DESC"};
// The partial unique index on `active` makes a concurrent second insert fail; ON CONFLICT turns
// that into "no row" (another instance created the key first).
constexpr Statement kAdd{
    "gateway_keys_add",
    "INSERT INTO gateway_keys (der, thumbprint, not_after, key_ciphertext, kek_id, active) "
    "SELECT $1, $2, to_timestamp($3), $4, $5, true "
    "WHERE NOT EXISTS (SELECT 1 FROM gateway_keys WHERE active) "
    "ON CONFLICT DO NOTHING RETURNING id"};

}  // namespace

asio::awaitable<core::Result<std::vector<GatewayKeyRow>>> PgGatewayKeyStore::list() {
  co_return co_await pool_.transact([](pqxx::work& tx) {
    std::vector<GatewayKeyRow> out;
    for (const auto& r : exec(tx, kList)) {
      GatewayKeyRow row;
      row.id = r[0].as<std::int64_t>();
      row.der = bytes(r[1]);
      row.thumbprint = r[2].as<std::string>();
      row.key = {bytes(r[3]), r[4].as<std::string>()};
      row.active = r[5].as<bool>();
      out.push_back(std::move(row));
    }
    return out;
  });
}

asio::awaitable<core::Result<bool>> PgGatewayKeyStore::add_if_none(
    GatewayKeyRow row, std::chrono::system_clock::time_point not_after) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    return !exec(tx, kAdd, blob(row.der), row.thumbprint, epoch(not_after),
                 blob(row.key.ciphertext), row.key.kek_id)
                .empty();
  });
}

}  // namespace smimegw::db
