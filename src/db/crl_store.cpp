// db: crl_cache and fetched_certificates, the trust module's revocation/issuer caches
// (crl_store.hpp).
#include "smimegw/db/crl_store.hpp"

#include "smimegw/db/statement.hpp"

namespace smimegw::db {
namespace {

// Every statement of the CRL store (STYLE.md: one table of SQL per file), run as named prepared
// statements (statement.hpp). Times travel as epoch seconds; next_update may be NULL.
#define SMIMEGW_CRL_COLUMNS                                                          \
  "SELECT url, issuer, der, extract(epoch FROM this_update)::bigint,"                \
  " extract(epoch FROM next_update)::bigint, extract(epoch FROM fetched_at)::bigint" \
  " FROM crl_cache"
constexpr Statement kFindCrl{"crl_find", SMIMEGW_CRL_COLUMNS " WHERE url = $1"};
constexpr Statement kListCrls{"crl_list", SMIMEGW_CRL_COLUMNS " ORDER BY url"};
#undef SMIMEGW_CRL_COLUMNS
constexpr Statement kUpsertCrl{
    "crl_upsert",
    "INSERT INTO crl_cache (url, issuer, der, this_update, next_update, fetched_at)"
    " VALUES ($1, $2, $3, to_timestamp($4), to_timestamp($5), to_timestamp($6))"
    " ON CONFLICT (url) DO UPDATE SET issuer = EXCLUDED.issuer, der = EXCLUDED.der,"
    " this_update = EXCLUDED.this_update, next_update = EXCLUDED.next_update,"
    " fetched_at = EXCLUDED.fetched_at"};
constexpr Statement kInsertCert{
    "fetched_cert_insert",
    "INSERT INTO fetched_certificates (sha256, url, subject, der, fetched_at)"
    " VALUES ($1, $2, $3, $4, to_timestamp($5)) ON CONFLICT (sha256) DO NOTHING"};
constexpr Statement kListCerts{"fetched_cert_list",
                               "SELECT sha256, url, subject, der, extract(epoch FROM "
                               "fetched_at)::bigint FROM fetched_certificates ORDER BY fetched_at, "
                               "sha256"};

using Clock = std::chrono::system_clock;

std::int64_t epoch(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
Clock::time_point from_epoch(std::int64_t s) {
  return Clock::time_point(std::chrono::seconds(s));
}

std::vector<std::uint8_t> bytes(const pqxx::field& f) {
  pqxx::binarystring b(f);
  return std::vector<std::uint8_t>(b.data(), b.data() + b.size());
}

trust::StoredCrl crl_from_row(const pqxx::row& r) {
  trust::StoredCrl c;
  c.url = r[0].as<std::string>();
  c.issuer = r[1].as<std::string>();
  c.der = bytes(r[2]);
  c.this_update = from_epoch(r[3].as<std::int64_t>());
  if (!r[4].is_null()) c.next_update = from_epoch(r[4].as<std::int64_t>());
  c.fetched_at = from_epoch(r[5].as<std::int64_t>());
  return c;
}

}  // namespace

core::Result<std::optional<trust::StoredCrl>> PgCrlStore::find_crl(const std::string& url) {
  return pool_.transact_blocking([&](pqxx::work& tx) -> std::optional<trust::StoredCrl> {
    auto res = exec(tx, kFindCrl, url);
    if (res.empty()) return std::nullopt;
    return crl_from_row(res[0]);
  });
}

core::Status PgCrlStore::put_crl(const trust::StoredCrl& c) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) {
    pqxx::binarystring der(c.der.data(), c.der.size());
    std::optional<std::int64_t> next;
    if (c.next_update) next = epoch(*c.next_update);
    exec(tx, kUpsertCrl, c.url, c.issuer, der, epoch(c.this_update), next, epoch(c.fetched_at));
    return true;
  });
  if (!r) return r.error();
  return {};
}

core::Result<std::vector<trust::StoredCrl>> PgCrlStore::list_crls() {
  return pool_.transact_blocking([&](pqxx::work& tx) {
    std::vector<trust::StoredCrl> out;
    for (const auto& row : exec(tx, kListCrls)) out.push_back(crl_from_row(row));
    return out;
  });
}

core::Status PgCrlStore::put_fetched_certificate(const trust::StoredFetchedCertificate& c) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) {
    pqxx::binarystring der(c.der.data(), c.der.size());
    exec(tx, kInsertCert, c.sha256, c.url, c.subject, der, epoch(c.fetched_at));
    return true;
  });
  if (!r) return r.error();
  return {};
}

core::Result<std::vector<trust::StoredFetchedCertificate>> PgCrlStore::fetched_certificates() {
  return pool_.transact_blocking([&](pqxx::work& tx) {
    std::vector<trust::StoredFetchedCertificate> out;
    for (const auto& row : exec(tx, kListCerts)) {
      trust::StoredFetchedCertificate c;
      c.sha256 = row[0].as<std::string>();
      c.url = row[1].as<std::string>();
      c.subject = row[2].as<std::string>();
      c.der = bytes(row[3]);
      c.fetched_at = from_epoch(row[4].as<std::int64_t>());
      out.push_back(std::move(c));
    }
    return out;
  });
}

}  // namespace smimegw::db
