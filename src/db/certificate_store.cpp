// db: user certificates and the lookups of recipient resolution (pg_certificate_store.hpp).
#include "certificate_rows.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {

namespace asio = boost::asio;
using namespace certrows;
using directory::UserCertificate;

namespace {

// The user owning $1 as primary or proxy address.
#define SMIMEGW_OWNER_OF_1                                                                 \
  "(SELECT id FROM users WHERE address = $1 UNION ALL SELECT user_id FROM user_addresses " \
  "WHERE address = $1)"

constexpr Statement kGal{"certs_gal", "SELECT " SMIMEGW_USER_CERT_COLUMNS
                                      " FROM user_certificates c JOIN users u ON u.id = c.user_id"
                                      " WHERE c.enabled AND c.user_id IN " SMIMEGW_OWNER_OF_1
                                      " ORDER BY c.not_after DESC, c.id"};
// $1: the asked addresses joined by newlines (an address never contains one).
constexpr Statement kGalBatch{
    "certs_gal_batch",
    "WITH asked AS (SELECT DISTINCT unnest(string_to_array($1, E'\\n')) AS address),"
    " owners AS (SELECT a.address AS asked, u.id AS user_id FROM asked a"
    "   JOIN users u ON u.address = a.address"
    "  UNION ALL SELECT a.address, p.user_id FROM asked a"
    "   JOIN user_addresses p ON p.address = a.address)"
    " SELECT o.asked, " SMIMEGW_USER_CERT_COLUMNS
    " FROM owners o JOIN user_certificates c ON c.user_id = o.user_id"
    " JOIN users u ON u.id = c.user_id"
    " WHERE c.enabled ORDER BY o.asked, c.not_after DESC, c.id"};
constexpr Statement kInstalledFor{"certs_installed_for",
                                  "SELECT " SMIMEGW_INSTALLED_COLUMNS
                                  " FROM installed_certificates i"
                                  " WHERE i.owner_user_id IN " SMIMEGW_OWNER_OF_1
                                  " AND i.address = $2 ORDER BY i.not_after DESC, i.id"};
constexpr Statement kExists{
    "certs_user_exists", "SELECT 1 FROM user_certificates WHERE user_id = $1 AND thumbprint = $2"};
constexpr Statement kInsert{
    "certs_user_insert",
    "INSERT INTO user_certificates (user_id, der, thumbprint, usage, not_before, not_after, "
    "source, forced, wrapped_key, kek_id) VALUES ($1, $2, $3, $4, to_timestamp($5), "
    "to_timestamp($6), $7, $8, $9, $10) RETURNING id"};
constexpr Statement kInsertNoKey{
    "certs_user_insert_nokey",
    "INSERT INTO user_certificates (user_id, der, thumbprint, usage, not_before, not_after, "
    "source, forced) VALUES ($1, $2, $3, $4, to_timestamp($5), to_timestamp($6), $7, $8) "
    "RETURNING id"};
constexpr Statement kOfUser{"certs_user_list",
                            "SELECT " SMIMEGW_USER_CERT_COLUMNS
                            " FROM user_certificates c JOIN users u ON u.id = c.user_id"
                            " WHERE c.user_id = $1 ORDER BY c.not_before DESC, c.id DESC"};
constexpr Statement kWrappedKey{
    "certs_user_wrapped_key",
    "SELECT wrapped_key, kek_id FROM user_certificates WHERE id = $1 AND wrapped_key IS NOT NULL"};
constexpr Statement kDelete{
    "certs_user_delete",
    "DELETE FROM user_certificates WHERE user_id = $1 AND thumbprint = $2 RETURNING id"};
constexpr Statement kAudit{
    "certs_audit_insert",
    "INSERT INTO audit_log (actor, action, subject, detail) VALUES ($1, $2, $3, $4::jsonb)"};

}  // namespace

void append_audit_row(pqxx::work& tx, const directory::AuditEntry& e) {
  exec(tx, kAudit, e.actor, e.action, e.subject, e.detail_json);
}

asio::awaitable<core::Result<std::vector<UserCertificate>>> PgCertificateStore::gal_certificates(
    std::string address) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<UserCertificate> out;
    for (const auto& row : exec(tx, kGal, address)) out.push_back(user_cert(row, 0));
    return out;
  });
}

asio::awaitable<core::Result<std::vector<std::pair<std::string, UserCertificate>>>>
PgCertificateStore::gal_certificates_batch(std::vector<std::string> addresses) {
  std::string joined;
  for (const auto& a : addresses) {
    if (a.empty() || a.find('\n') != std::string::npos) continue;
    if (!joined.empty()) joined += '\n';
    joined += a;
  }
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<std::pair<std::string, UserCertificate>> out;
    if (joined.empty()) return out;
    for (const auto& row : exec(tx, kGalBatch, joined))
      out.emplace_back(row[0].as<std::string>(), user_cert(row, 1));
    return out;
  });
}

asio::awaitable<core::Result<std::vector<directory::InstalledCertificate>>>
PgCertificateStore::installed_certificates(std::string owner_address, std::string contact_address) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<directory::InstalledCertificate> out;
    for (const auto& row : exec(tx, kInstalledFor, owner_address, contact_address))
      out.push_back(installed_cert(row));
    return out;
  });
}

asio::awaitable<core::Result<std::vector<std::int64_t>>> PgCertificateStore::add_user_certificates(
    std::vector<directory::NewUserCertificate> certs, std::vector<directory::AuditEntry> audit) {
  std::string duplicate;
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<std::int64_t> ids;
    for (const auto& c : certs) {
      if (!exec(tx, kExists, c.user_id, c.thumbprint).empty()) {
        duplicate = c.thumbprint;
        throw std::runtime_error("duplicate");  // rolls back what was inserted before
      }
      auto row =
          c.key ? exec1(tx, kInsert, c.user_id, blob(c.der), c.thumbprint, usage_name(c.usage),
                        epoch(c.not_before), epoch(c.not_after), c.source, c.forced,
                        blob(c.key->ciphertext), c.key->kek_id)
                : exec1(tx, kInsertNoKey, c.user_id, blob(c.der), c.thumbprint, usage_name(c.usage),
                        epoch(c.not_before), epoch(c.not_after), c.source, c.forced);
      ids.push_back(row[0].as<std::int64_t>());
    }
    for (const auto& a : audit) append_audit_row(tx, a);
    return ids;
  });
  if (!duplicate.empty())
    co_return core::Error::make("db_duplicate",
                                "certificate " + duplicate + " is already stored for this user");
  co_return r;
}

asio::awaitable<core::Result<std::vector<UserCertificate>>> PgCertificateStore::user_certificates(
    std::int64_t user_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) {
    std::vector<UserCertificate> out;
    for (const auto& row : exec(tx, kOfUser, user_id)) out.push_back(user_cert(row, 0));
    return out;
  });
}

asio::awaitable<core::Result<std::optional<directory::WrappedKey>>> PgCertificateStore::wrapped_key(
    std::int64_t certificate_id) {
  co_return co_await pool_.transact([&](pqxx::work& tx) -> std::optional<directory::WrappedKey> {
    auto res = exec(tx, kWrappedKey, certificate_id);
    if (res.empty()) return std::nullopt;
    return directory::WrappedKey{bytes(res[0][0]), res[0][1].as<std::string>()};
  });
}

asio::awaitable<core::Status> PgCertificateStore::remove_user_certificate(
    std::int64_t user_id, std::string thumbprint, directory::AuditEntry audit) {
  auto r = co_await pool_.transact([&](pqxx::work& tx) {
    if (exec(tx, kDelete, user_id, thumbprint).empty()) return false;
    append_audit_row(tx, audit);
    return true;
  });
  if (!r) co_return r.error();
  if (!*r)
    co_return core::Error::make("not_found", "no certificate " + thumbprint + " for this user");
  co_return core::Status{};
}

}  // namespace smimegw::db
