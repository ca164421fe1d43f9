// db: S/MIME settings of PgPolicyStore (pg_policy_store.hpp): the single smime_settings row, the
// per-user rows and the generation counter.
#include "smimegw/core/address.hpp"
#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {
namespace {

constexpr Statement kSettings{
    "policy_settings",
    "SELECT version, always_sign, always_encrypt, encryption_algorithm, signing_algorithm,"
    " include_chain, check_crl_on_send, crl_connection_timeout_ms, crl_retrieval_timeout_ms,"
    " dl_expansion_timeout_ms, one_copy_per_bcc, sign_all_default, sign_all_user_change_allowed,"
    " encrypt_all_default, encrypt_all_user_change_allowed FROM smime_settings"};
constexpr Statement kSaveSettings{
    "policy_save_settings",
    "UPDATE smime_settings SET version = version + 1, updated_at = now(), always_sign = $2,"
    " always_encrypt = $3, encryption_algorithm = $4, signing_algorithm = $5, include_chain = $6,"
    " check_crl_on_send = $7, crl_connection_timeout_ms = $8, crl_retrieval_timeout_ms = $9,"
    " dl_expansion_timeout_ms = $10, one_copy_per_bcc = $11, sign_all_default = $12,"
    " sign_all_user_change_allowed = $13, encrypt_all_default = $14,"
    " encrypt_all_user_change_allowed = $15 WHERE version = $1 RETURNING version"};
constexpr Statement kUserId{"policy_user_id",
                            "SELECT id FROM users WHERE address = $1 UNION ALL"
                            " SELECT user_id FROM user_addresses WHERE address = $1 LIMIT 1"};
constexpr Statement kUserSettings{
    "policy_user_settings",
    "SELECT smime_enabled, sign_all::text, encrypt_all::text FROM user_smime_settings"
    " WHERE user_id = $1"};
constexpr Statement kSaveUserSettings{
    "policy_save_user_settings",
    "INSERT INTO user_smime_settings (user_id, smime_enabled, sign_all, encrypt_all)"
    " VALUES ($1, $2, NULLIF($3, '')::boolean, NULLIF($4, '')::boolean)"
    " ON CONFLICT (user_id) DO UPDATE SET smime_enabled = EXCLUDED.smime_enabled,"
    " sign_all = EXCLUDED.sign_all, encrypt_all = EXCLUDED.encrypt_all, updated_at = now()"};
constexpr Statement kGeneration{"policy_generation", "SELECT generation FROM policy_generation"};

std::optional<bool> opt_bool(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>() == "true";
}

std::string bool_text(const std::optional<bool>& b) {
  return b ? (*b ? "true" : "false") : "";
}

core::Error unknown_user(const std::string& address) {
  return core::Error::make("not_found", "no user has the address " + address);
}

}  // namespace

core::Result<policy::VersionedSettings> PgPolicyStore::smime_settings() {
  return pool_.transact_blocking([](pqxx::work& tx) {
    auto r = exec1(tx, kSettings);
    policy::VersionedSettings v;
    auto& s = v.settings;
    v.version = r[0].as<std::int64_t>();
    s.always_sign = r[1].as<bool>();
    s.always_encrypt = r[2].as<bool>();
    s.encryption_algorithm = r[3].as<std::string>();
    s.signing_algorithm = r[4].as<std::string>();
    s.include_chain = policy::parse_include_chain(r[5].as<std::string>()).value_or(s.include_chain);
    s.check_crl_on_send = r[6].as<bool>();
    s.crl_connection_timeout_ms = r[7].as<int>();
    s.crl_retrieval_timeout_ms = r[8].as<int>();
    s.dl_expansion_timeout_ms = r[9].as<int>();
    s.one_copy_per_bcc = r[10].as<bool>();
    s.sign_all_default = r[11].as<bool>();
    s.sign_all_user_change_allowed = r[12].as<bool>();
    s.encrypt_all_default = r[13].as<bool>();
    s.encrypt_all_user_change_allowed = r[14].as<bool>();
    return v;
  });
}

core::Result<std::int64_t> PgPolicyStore::save_smime_settings(const policy::SmimeSettings& s,
                                                              std::int64_t expected) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) -> std::optional<std::int64_t> {
    auto res = exec(
        tx, kSaveSettings, expected, s.always_sign, s.always_encrypt, s.encryption_algorithm,
        s.signing_algorithm, std::string(policy::to_string(s.include_chain)), s.check_crl_on_send,
        s.crl_connection_timeout_ms, s.crl_retrieval_timeout_ms, s.dl_expansion_timeout_ms,
        s.one_copy_per_bcc, s.sign_all_default, s.sign_all_user_change_allowed,
        s.encrypt_all_default, s.encrypt_all_user_change_allowed);
    if (res.empty()) return std::nullopt;
    return res[0][0].as<std::int64_t>();
  });
  if (!r) return r.error();
  if (!*r)
    return core::Error::make("conflict",
                             "the S/MIME settings were changed by someone else; read them again");
  return **r;
}

core::Result<std::optional<policy::UserSmimeSettings>> PgPolicyStore::user_settings(
    const std::string& address) {
  const auto key = core::ascii_lower(address);
  using Row = std::optional<std::optional<policy::UserSmimeSettings>>;
  auto r = pool_.transact_blocking([&](pqxx::work& tx) -> Row {
    auto id = exec(tx, kUserId, key);
    if (id.empty()) return std::nullopt;
    auto res = exec(tx, kUserSettings, id[0][0].as<std::int64_t>());
    if (res.empty()) return Row(std::in_place, std::nullopt);
    policy::UserSmimeSettings u;
    u.smime_enabled = res[0][0].as<bool>();
    u.sign_all = opt_bool(res[0][1]);
    u.encrypt_all = opt_bool(res[0][2]);
    return Row(std::in_place, u);
  });
  if (!r) return r.error();
  if (!*r) return unknown_user(key);
  return **r;
}

core::Status PgPolicyStore::save_user_settings(const std::string& address,
                                               const policy::UserSmimeSettings& s) {
  const auto key = core::ascii_lower(address);
  auto r = pool_.transact_blocking([&](pqxx::work& tx) {
    auto id = exec(tx, kUserId, key);
    if (id.empty()) return false;
    exec(tx, kSaveUserSettings, id[0][0].as<std::int64_t>(), s.smime_enabled, bool_text(s.sign_all),
         bool_text(s.encrypt_all));
    return true;
  });
  if (!r) return r.error();
  if (!*r) return unknown_user(key);
  return {};
}

core::Result<std::int64_t> PgPolicyStore::generation() {
  return pool_.transact_blocking(
      [](pqxx::work& tx) { return exec1(tx, kGeneration)[0].as<std::int64_t>(); });
}

}  // namespace smimegw::db
