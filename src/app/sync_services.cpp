// app: sync tokens, settings and certificates of the sync API (sync_services.hpp).
#include "sync_services.hpp"

#include <botan/hex.h>
#include <botan/system_rng.h>

#include "offload.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/directory/password.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;
using http::sync::TokenGrant;

namespace {

core::Error invalid_grant() {
  return core::Error::make("invalid_grant", "the user name or password is incorrect");
}

std::string random_suffix() {
  std::uint8_t b[6];
  Botan::system_rng().randomize(b, sizeof b);
  return Botan::hex_encode(b, sizeof b, false);
}

json::object settings_json(const policy::SmimeSettings& org,
                           const std::optional<policy::UserSmimeSettings>& user) {
  auto rules = policy::effective_rules(org, user);
  json::object o;
  o["smimeEnabled"] = user && user->smime_enabled;  // off until the user turns it on
  o["signAll"] = rules.sign;
  o["encryptAll"] = rules.encrypt;
  o["signAllChangeAllowed"] = rules.sign_user_changeable;
  o["encryptAllChangeAllowed"] = rules.encrypt_user_changeable;
  return o;
}

core::Result<policy::Patch> to_patch(const json::object& o) {
  policy::Patch patch;
  for (const auto& kv : o) {
    std::string key(kv.key().data(), kv.key().size());
    const auto& v = kv.value();
    if (v.is_null())
      patch.emplace_back(key, std::monostate{});
    else if (v.is_bool())
      patch.emplace_back(key, v.as_bool());
    else if (v.is_int64())
      patch.emplace_back(key, v.as_int64());
    else if (v.is_string())
      patch.emplace_back(key, std::string(v.as_string()));
    else
      return core::Error::make("validation_failed", key + ": expected true, false or null");
  }
  return patch;
}

}  // namespace

asio::awaitable<core::Result<TokenGrant>> SyncServices::grant(std::string username,
                                                              std::string password) {
  auto found = co_await d_.users.find_by_address(core::ascii_lower(username));
  if (!found) co_return core::Error::transient("db_unavailable", "directory unavailable");
  // The hash is checked even for an unknown or disabled user, so the answer takes as long and
  // says the same either way (no user enumeration).
  static const std::string dummy = directory::hash_password("timing-equaliser");
  const bool usable = *found && (*found)->enabled && !(*found)->password_hash.empty();
  std::string hash = usable ? (*found)->password_hash : dummy;
  auto check = [password, hash] { return directory::verify_password(password, hash); };
  auto ok = co_await run_on(d_.worker, std::move(check));
  if (!ok || !*ok || !usable) co_return invalid_grant();
  const auto& user = **found;
  std::string token = http::generate_token();
  http::ApiToken row;
  row.name = "sync:" + user.address + ":" + random_suffix();
  row.kind = "sync";
  row.hash = http::token_hash(token);
  row.user_id = user.id;
  row.expires_at = d_.clock.now() + std::chrono::seconds(d_.token_lifetime_s);
  auto id = co_await d_.tokens.create(row);
  if (!id) co_return id.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_token_issued",
           {{"user", user.address}, {"token_id", std::to_string(*id)}});
  co_return TokenGrant{token, d_.token_lifetime_s};
}

asio::awaitable<core::Status> SyncServices::revoke(std::string user, std::string token) {
  auto found = co_await d_.tokens.find_active("sync", http::token_hash(token));
  if (!found) co_return found.error();
  if (!*found) co_return core::Error::make("unauthorized", "missing or invalid bearer token");
  auto r = co_await d_.tokens.revoke("sync", std::to_string((*found)->id));
  if (!r) co_return r.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_token_revoked",
           {{"user", user}, {"token_id", std::to_string(r->id)}});
  co_return core::Status{};
}

asio::awaitable<core::Result<SyncServices::UserPolicy>> SyncServices::user_policy(
    std::string user) {
  auto work = [this, user]() -> core::Result<UserPolicy> {
    auto org = org_policy();
    if (!org) return org.error();
    auto mine = d_.policy.user_settings(user);
    if (!mine) return mine.error();
    return UserPolicy{(*org)->settings, *mine};
  };
  auto r = co_await run_on(d_.worker, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Result<policy::Catalog>> SyncServices::catalog() {
  auto work = [this]() -> core::Result<policy::Catalog> {
    auto org = org_policy();
    if (!org) return org.error();
    return (*org)->catalog;
  };
  auto r = co_await run_on(d_.worker, std::move(work));
  co_return std::move(*r);
}

core::Result<std::shared_ptr<const SyncServices::OrgPolicy>> SyncServices::org_policy() {
  auto gen = d_.policy.generation();
  if (!gen) return gen.error();
  {
    std::lock_guard lock(org_mu_);
    if (org_ && org_->generation == *gen) return org_;
  }
  // Read the generation first: a change racing with the loads below leaves a newer generation
  // in the store than the one recorded here, so the next call loads again.
  auto catalog = d_.policy.load_catalog();
  if (!catalog) return catalog.error();
  auto settings = d_.policy.smime_settings();
  if (!settings) return settings.error();
  auto fresh = std::make_shared<const OrgPolicy>(
      OrgPolicy{*gen, std::move(*catalog), std::move(settings->settings)});
  std::lock_guard lock(org_mu_);
  org_ = fresh;
  return fresh;
}

asio::awaitable<core::Result<json::object>> SyncServices::settings(std::string user) {
  auto p = co_await user_policy(user);
  if (!p) co_return p.error();
  co_return settings_json(p->org, p->user);
}

asio::awaitable<core::Result<json::object>> SyncServices::patch_settings(std::string user,
                                                                         json::object body) {
  auto patch = to_patch(body);
  if (!patch) co_return patch.error();
  auto p = co_await user_policy(user);
  if (!p) co_return p.error();
  policy::UserSmimeSettings base =
      p->user.value_or(policy::UserSmimeSettings{.smime_enabled = false});
  policy::UserSmimeSettings merged;
  auto errors = policy::merge_user_patch(p->org, base, *patch, merged);
  if (!errors.empty()) {
    bool locked = false;
    std::string message;
    for (const auto& e : errors) {
      locked = locked || e.message.find("does not allow") != std::string::npos;
      message += (message.empty() ? "" : "; ") + e.field + ": " + e.message;
    }
    co_return core::Error::make(locked ? "change_not_allowed" : "validation_failed", message);
  }
  auto& store = d_.policy;
  auto work = [&store, user, merged]() { return store.save_user_settings(user, merged); };
  auto saved = co_await run_on(d_.worker, std::move(work));
  if (!*saved) co_return saved->error();
  co_return settings_json(p->org, merged);
}

std::optional<policy::Label> find_label(const policy::Catalog& catalog, const std::string& id) {
  for (const auto& l : catalog.labels)
    if (l.id == id) return l;
  return std::nullopt;
}

json::object rights_json(const std::optional<policy::Label>& label) {
  policy::Rights rights;  // all rights
  if (label && label->protection == policy::Protection::encrypt) rights = label->rights;
  json::object o;
  o["view"] = rights.has(policy::Right::view);
  o["edit"] = rights.has(policy::Right::edit);
  o["print"] = rights.has(policy::Right::print);
  o["copy"] = rights.has(policy::Right::copy);
  o["forward"] = rights.has(policy::Right::forward);
  o["reply"] = rights.has(policy::Right::reply);
  o["replyAll"] = rights.has(policy::Right::reply_all);
  return o;
}

bool content_expired(const policy::Label& label, std::int64_t received_at, std::int64_t now) {
  return label.content_expiry_days > 0 &&
         now >= received_at + static_cast<std::int64_t>(label.content_expiry_days) * 86400;
}

}  // namespace smimegw::app
