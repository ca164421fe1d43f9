// db: row mapping shared by the certificate store's files (certificate_store.cpp,
// certificate_admin.cpp). Private to db.
#pragma once

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "smimegw/directory/certificate_store.hpp"

namespace smimegw::db::certrows {

using Clock = std::chrono::system_clock;

inline std::int64_t epoch(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline Clock::time_point from_epoch(std::int64_t s) {
  return Clock::time_point(std::chrono::seconds(s));
}
inline std::vector<std::uint8_t> bytes(const pqxx::field& f) {
  pqxx::binarystring b(f);
  return {b.data(), b.data() + b.size()};
}
inline pqxx::binarystring blob(const std::vector<std::uint8_t>& v) {
  return pqxx::binarystring(v.data(), v.size());
}

/// db's own copy of the usage names (db does not link directory, which defines to_string).
inline const char* usage_name(directory::CertUsage u) {
  switch (u) {
    case directory::CertUsage::sign:
      return "sign";
    case directory::CertUsage::encrypt:
      return "encrypt";
    case directory::CertUsage::both:
      break;
  }
  return "both";
}
inline directory::CertUsage usage_of(const std::string& s) {
  if (s == "sign") return directory::CertUsage::sign;
  if (s == "encrypt") return directory::CertUsage::encrypt;
  return directory::CertUsage::both;
}

/// The select list user_cert() reads (a macro, so statements can be string literals).
#define SMIMEGW_USER_CERT_COLUMNS                                                                 \
  "c.id, c.user_id, u.address, c.der, c.thumbprint, c.usage, "                                    \
  "extract(epoch FROM c.not_before)::bigint, extract(epoch FROM c.not_after)::bigint, c.source, " \
  "c.wrapped_key IS NOT NULL, c.forced, c.enabled"

inline directory::UserCertificate user_cert(const pqxx::row& r, int i) {
  directory::UserCertificate c;
  c.id = r[i].as<std::int64_t>();
  c.user_id = r[i + 1].as<std::int64_t>();
  c.user_address = r[i + 2].as<std::string>();
  c.der = bytes(r[i + 3]);
  c.thumbprint = r[i + 4].as<std::string>();
  c.usage = usage_of(r[i + 5].as<std::string>());
  c.not_before = from_epoch(r[i + 6].as<std::int64_t>());
  c.not_after = from_epoch(r[i + 7].as<std::int64_t>());
  c.source = r[i + 8].as<std::string>();
  c.has_private_key = r[i + 9].as<bool>();
  c.forced = r[i + 10].as<bool>();
  c.enabled = r[i + 11].as<bool>();
  return c;
}

#define SMIMEGW_INSTALLED_COLUMNS                           \
  "i.id, i.owner_user_id, i.address, i.der, i.thumbprint, " \
  "extract(epoch FROM i.not_after)::bigint, i.source"

inline directory::InstalledCertificate installed_cert(const pqxx::row& r) {
  directory::InstalledCertificate c;
  c.id = r[0].as<std::int64_t>();
  c.owner_user_id = r[1].as<std::int64_t>();
  c.address = r[2].as<std::string>();
  c.der = bytes(r[3]);
  c.thumbprint = r[4].as<std::string>();
  c.not_after = from_epoch(r[5].as<std::int64_t>());
  c.source = r[6].as<std::string>();
  return c;
}

}  // namespace smimegw::db::certrows

namespace smimegw::db {
/// Appends one audit_log row inside `tx` (defined in certificate_store.cpp).
void append_audit_row(pqxx::work& tx, const directory::AuditEntry& e);
}  // namespace smimegw::db
