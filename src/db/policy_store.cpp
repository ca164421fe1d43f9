// db: the label catalog of PgPolicyStore (pg_policy_store.hpp); the settings are in
// policy_settings_store.cpp.
#include <map>

#include "smimegw/db/pg_policy_store.hpp"
#include "smimegw/db/statement.hpp"

namespace smimegw::db {
namespace {

constexpr Statement kLabels{
    "policy_labels",
    "SELECT id::text, name, display_name, priority, header_template, footer_template, protection,"
    " array_to_string(rights, ','), internal_only, array_to_string(domains, ','),"
    " content_expiry_days FROM labels ORDER BY priority DESC"};
constexpr Statement kPolicies{"policy_policies",
                              "SELECT id, name, priority, all_users, default_label::text, mandatory"
                              " FROM label_policies ORDER BY priority DESC"};
constexpr Statement kPolicyLabels{
    "policy_policy_labels",
    "SELECT policy_id, label_id::text FROM label_policy_labels ORDER BY policy_id, position"};
constexpr Statement kAssignments{
    "policy_assignments",
    "SELECT policy_id, kind, address FROM label_policy_assignments ORDER BY policy_id, kind, "
    "address"};
constexpr Statement kCatalogVersion{"policy_catalog_version",
                                    "SELECT version FROM catalog_version"};
// Taken before a conditional replace: concurrent writers queue on the row until the first commits.
constexpr Statement kLockCatalogVersion{"policy_lock_catalog_version",
                                        "SELECT version FROM catalog_version FOR UPDATE"};
// The first statement of a catalog read: its SELECTs then share one snapshot (under the default
// READ COMMITTED each would take its own and could see half of a concurrent replace).
constexpr const char* kSnapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
constexpr Statement kDeletePolicies{"policy_delete_policies", "DELETE FROM label_policies"};
constexpr Statement kDeleteLabels{"policy_delete_labels", "DELETE FROM labels"};
constexpr Statement kInsertLabel{
    "policy_insert_label",
    "INSERT INTO labels (id, name, display_name, priority, header_template, footer_template,"
    " protection, rights, internal_only, domains, content_expiry_days)"
    " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, string_to_array($8, ','), $9,"
    " string_to_array($10, ','), $11)"};
constexpr Statement kInsertPolicy{
    "policy_insert_policy",
    "INSERT INTO label_policies (name, priority, all_users, default_label, mandatory)"
    " VALUES ($1, $2, $3, NULLIF($4, '')::uuid, $5) RETURNING id"};
constexpr Statement kInsertPolicyLabel{
    "policy_insert_policy_label",
    "INSERT INTO label_policy_labels (policy_id, label_id, position) VALUES ($1, $2::uuid, $3)"};
constexpr Statement kInsertAssignment{
    "policy_insert_assignment",
    "INSERT INTO label_policy_assignments (policy_id, kind, address) VALUES ($1, $2, lower($3))"
    " ON CONFLICT DO NOTHING"};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (!s.empty()) {
    auto comma = s.find(',', pos);
    out.push_back(s.substr(pos, comma - pos));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

policy::Label label_from_row(const pqxx::row& r) {
  policy::Label l;
  l.id = r[0].as<std::string>();
  l.name = r[1].as<std::string>();
  l.display_name = r[2].as<std::string>();
  l.priority = r[3].as<int>();
  l.header_template = r[4].as<std::string>();
  l.footer_template = r[5].as<std::string>();
  l.protection =
      policy::parse_protection(r[6].as<std::string>()).value_or(policy::Protection::none);
  l.rights.bits = 0;
  for (const auto& name : split(r[7].as<std::string>()))
    if (auto right = policy::parse_right(name)) l.rights.add(*right);
  l.scope.internal_only = r[8].as<bool>();
  l.scope.domains = split(r[9].as<std::string>());
  l.content_expiry_days = r[10].as<int>();
  return l;
}

policy::Catalog read_catalog(pqxx::work& tx) {
  policy::Catalog c;
  for (const auto& r : exec(tx, kLabels)) c.labels.push_back(label_from_row(r));
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : exec(tx, kPolicies)) {
    policy::LabelPolicy p;
    p.name = r[1].as<std::string>();
    p.priority = r[2].as<int>();
    p.all_users = r[3].as<bool>();
    if (!r[4].is_null()) p.default_label = r[4].as<std::string>();
    p.mandatory = r[5].as<bool>();
    index[r[0].as<std::int64_t>()] = c.policies.size();
    c.policies.push_back(std::move(p));
  }
  for (const auto& r : exec(tx, kPolicyLabels))
    c.policies[index.at(r[0].as<std::int64_t>())].labels.push_back(r[1].as<std::string>());
  for (const auto& r : exec(tx, kAssignments)) {
    auto& p = c.policies[index.at(r[0].as<std::int64_t>())];
    (r[1].as<std::string>() == "user" ? p.users : p.groups).push_back(r[2].as<std::string>());
  }
  return c;
}

void write_catalog(pqxx::work& tx, const policy::Catalog& c) {
  exec(tx, kDeletePolicies);
  exec(tx, kDeleteLabels);
  for (const auto& l : c.labels)
    exec(tx, kInsertLabel, l.id, l.name, l.display_name, l.priority, l.header_template,
         l.footer_template, std::string(policy::to_string(l.protection)),
         join(policy::right_names(l.rights)), l.scope.internal_only, join(l.scope.domains),
         l.content_expiry_days);
  for (const auto& p : c.policies) {
    auto id = exec1(tx, kInsertPolicy, p.name, p.priority, p.all_users,
                    p.default_label.value_or(""), p.mandatory)[0]
                  .as<std::int64_t>();
    for (std::size_t i = 0; i < p.labels.size(); ++i)
      exec(tx, kInsertPolicyLabel, id, p.labels[i], static_cast<int>(i));
    for (const auto& u : p.users) exec(tx, kInsertAssignment, id, std::string("user"), u);
    for (const auto& g : p.groups) exec(tx, kInsertAssignment, id, std::string("group"), g);
  }
}

}  // namespace

core::Result<policy::Catalog> PgPolicyStore::load_catalog() {
  return pool_.transact_blocking([](pqxx::work& tx) {
    tx.exec0(kSnapshot);
    return read_catalog(tx);
  });
}

core::Result<policy::VersionedCatalog> PgPolicyStore::load_versioned_catalog() {
  return pool_.transact_blocking([](pqxx::work& tx) {
    tx.exec0(kSnapshot);
    policy::VersionedCatalog v;
    v.version = exec1(tx, kCatalogVersion)[0].as<std::int64_t>();
    v.catalog = read_catalog(tx);
    return v;
  });
}

core::Status PgPolicyStore::replace_catalog(const policy::Catalog& c) {
  return pool_.transact_blocking([&](pqxx::work& tx) { write_catalog(tx, c); });
}

core::Result<std::int64_t> PgPolicyStore::replace_catalog_if(const policy::Catalog& c,
                                                             std::int64_t expected) {
  auto r = pool_.transact_blocking([&](pqxx::work& tx) -> std::optional<std::int64_t> {
    if (exec1(tx, kLockCatalogVersion)[0].as<std::int64_t>() != expected) return std::nullopt;
    write_catalog(tx, c);
    return exec1(tx, kCatalogVersion)[0].as<std::int64_t>();
  });
  if (!r) return r.error();
  if (!*r)
    return core::Error::make("conflict",
                             "the label catalog was changed by someone else; read it again");
  return **r;
}

}  // namespace smimegw::db
