// `smimegw admin token create NAME | list [--json] | revoke NAME|ID` (-c CONFIG): the admin API's
// bearer tokens (table api_tokens, kind admin). `create` prints the token once, alone on stdout
// (only its SHA-256 is stored; it cannot be shown again); `list` never shows tokens or hashes.
// `admin token revoke-sync ADDRESS` revokes every sync API token of the user owning ADDRESS (as
// DELETE /admin/v1/users/{id}/sync-tokens): the user's devices must sign in again.
// Exit codes: 0 done, 1 the name is taken / no such token or user / database failure, 2 usage.
#include <cctype>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "database.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/run_sync.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/db/pg_admin_store.hpp"
#include "smimegw/db/pg_api_token_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace {

const char* kUsage =
    "usage: smimegw admin token create NAME | token list [--json] | token revoke NAME|ID | token "
    "revoke-sync ADDRESS [-c CONFIG]";

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 128) return false;
  for (unsigned char c : n)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@') return false;
  return true;
}

std::string when(const std::optional<http::ApiToken::TimePoint>& t) {
  return t ? core::iso8601_utc(*t) : "-";
}

std::string json_str(const std::string& s) {
  return "\"" + s + "\"";  // names are [A-Za-z0-9._@-], times ISO 8601: nothing to escape
}

std::string json_time(const std::optional<http::ApiToken::TimePoint>& t) {
  return t ? json_str(core::iso8601_utc(*t)) : "null";
}

int list(db::PgApiTokenStore& store, bool json) {
  auto r = core::run_sync(store.list("admin"));
  if (!r) {
    report("admin token list: " + r.error().message);
    return 1;
  }
  if (json) {
    std::cout << "[";
    for (std::size_t i = 0; i < r->size(); ++i) {
      const auto& t = (*r)[i];
      std::cout << (i ? ",\n " : "") << "{\"id\": " << t.id << ", \"name\": " << json_str(t.name)
                << ", \"createdAt\": " << json_str(core::iso8601_utc(t.created_at))
                << ", \"lastUsedAt\": " << json_time(t.last_used_at)
                << ", \"revokedAt\": " << json_time(t.revoked_at) << "}";
    }
    std::cout << "]\n";
    return 0;
  }
  for (const auto& t : *r)
    std::cout << t.id << "  " << t.name << "  created " << core::iso8601_utc(t.created_at)
              << "  last used " << when(t.last_used_at)
              << (t.revoked_at ? "  revoked " + when(t.revoked_at) : std::string("  active"))
              << "\n";
  return 0;
}

int revoke_sync(db::Pool& pool, const std::string& text) {
  auto address = core::Address::parse(text);
  if (!address) {
    report("admin token revoke-sync: " + address.error().message);
    return 2;
  }
  db::PgUserStore users(pool);
  auto user = core::run_sync(users.find_by_address(address->key()));
  if (!user || !*user) {
    report("admin token revoke-sync: " +
           (user ? "no user with address " + address->key() : user.error().message));
    return 1;
  }
  db::PgAdminStore admin(pool);
  auto n = core::run_sync(admin.revoke_sync_tokens((*user)->id, std::nullopt));
  if (!n) {
    report("admin token revoke-sync: " + n.error().message);
    return 1;
  }
  obs::log(*obs::logger("app"), spdlog::level::info, "sync_tokens_revoked",
           {{"by", "cli"}, {"user", (*user)->address}, {"revoked", std::to_string(*n)}});
  std::cout << "revoked " << *n << " sync token(s) of " << (*user)->address << "\n";
  return 0;
}

}  // namespace

int cmd_admin(int argc, char** argv) {
  std::string err;
  auto args = parse_args(argc, argv, 1, {config_option(), {"json", 0, false, false}}, err);
  if (!args) {
    report("admin: " + err);
    return 2;
  }
  const auto& p = args->positional;
  bool ok = p.size() >= 2 && p[0] == "token" &&
            ((p[1] == "list" && p.size() == 2) ||
             ((p[1] == "create" || p[1] == "revoke" || p[1] == "revoke-sync") && p.size() == 3));
  if (!ok) {
    report(kUsage);
    return 2;
  }
  if (p[1] == "create" && !valid_name(p[2])) {
    report("admin token create: NAME must be 1-128 of A-Z a-z 0-9 . _ - @");
    return 2;
  }
  auto cfg = load_config_or_report(config_path(*args));
  if (!cfg) return 2;
  if (auto gate = check_database(*cfg); !gate) {
    report(gate.error().message);
    return 1;
  }
  db::Pool pool(connection_options(*cfg), 1);
  db::PgApiTokenStore store(pool);
  auto log = obs::logger("app");
  if (p[1] == "list") return list(store, args->has("json"));
  if (p[1] == "revoke-sync") return revoke_sync(pool, p[2]);
  if (p[1] == "create") {
    http::ApiToken t;
    t.name = p[2];
    t.kind = "admin";
    auto token = http::generate_token();
    t.hash = http::token_hash(token);
    auto id = core::run_sync(store.create(t));
    if (!id) {
      report("admin token create: " + id.error().message);
      return 1;
    }
    obs::log(*log, spdlog::level::info, "admin_token_created",
             {{"id", std::to_string(*id)}, {"name", t.name}});
    std::cout << token << std::endl;
    std::cerr << "admin token " << *id << " \"" << t.name
              << "\" created; it is shown only now (only its SHA-256 is stored)\n";
    return 0;
  }
  auto r = core::run_sync(store.revoke("admin", p[2]));
  if (!r) {
    report("admin token revoke: " + r.error().message);
    return 1;
  }
  obs::log(*log, spdlog::level::info, "admin_token_revoked",
           {{"id", std::to_string(r->id)}, {"name", r->name}});
  std::cout << "revoked admin token " << r->id << " " << r->name << "\n";
  return 0;
}

}  // namespace smimegw::app
