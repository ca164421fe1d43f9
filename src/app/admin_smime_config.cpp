// app: the admin API's S/MIME settings (admin_labels.hpp, AdminSmimeConfig): GET and PATCH with
// the merge of `smimegw smime-config set` (policy::merge_patch: all or nothing, every error named
// by its field), saved with the version read (a concurrent change is `conflict`, or
// precondition_failed when the caller sent If-Match).
#include <boost/json.hpp>

#include "admin_labels.hpp"
#include "labels_render.hpp"
#include "offload.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;
using Answer = core::Result<json::object>;

namespace {

json::object settings_json(const policy::SmimeSettings& s, std::int64_t version) {
  json::object o;
  for (const auto& [k, v] : policy::fields(s)) o[k] = patch_value_json(v);
  o["version"] = version;
  return o;
}

/// JSON members → a patch; a value that is no scalar is an error for its field.
policy::Patch to_patch(const json::object& body, policy::FieldErrors& errors) {
  policy::Patch patch;
  for (const auto& kv : body) {
    std::string key(kv.key());
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
      errors.push_back({key, "must be true/false, an integer, a string or null"});
  }
  return patch;
}

core::Error stale(std::int64_t version) {
  return core::Error::make("precondition_failed",
                           "the S/MIME settings are now \"settings-" + std::to_string(version) +
                               "\", not the version of If-Match; read them again");
}

Answer apply(policy::PolicyStore& store, const json::object& body, const std::string& actor,
             const http::admin::IfMatch& pre) {
  auto current = store.smime_settings();
  if (!current) return current.error();
  if (!pre.holds(current->version)) return stale(current->version);
  policy::FieldErrors errors;
  auto patch = to_patch(body, errors);
  policy::SmimeSettings next;
  auto merged = policy::merge_patch(current->settings, patch, next);  // reports the rest
  errors.insert(errors.end(), merged.begin(), merged.end());
  if (!errors.empty()) {
    auto e = policy::to_error(errors);
    return core::Error::make("validation_failed", e.message);
  }
  if (next == current->settings) return settings_json(next, current->version);
  auto saved = store.save_smime_settings(next, current->version);
  if (!saved && saved.error().code == "conflict" && !pre.any) {
    auto now = store.smime_settings();
    if (!now) return now.error();
    return stale(now->version);
  }
  if (!saved) return saved.error();
  auto before = policy::fields(current->settings);
  auto after = policy::fields(next);
  for (std::size_t i = 0; i < after.size(); ++i)
    if (!(before[i].second == after[i].second))
      obs::log(*obs::logger("policy"), spdlog::level::info, "smime_setting_changed",
               {{"key", after[i].first},
                {"from", patch_value_text(before[i].second)},
                {"to", patch_value_text(after[i].second)},
                {"version", std::to_string(*saved)},
                {"by", actor}});
  return settings_json(next, *saved);
}

}  // namespace

asio::awaitable<Answer> AdminSmimeConfig::get() {
  auto work = [this]() -> Answer {
    auto v = store_.smime_settings();
    if (!v) return v.error();
    return settings_json(v->settings, v->version);
  };
  auto r = co_await run_on(worker_, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<Answer> AdminSmimeConfig::patch(json::object changes, std::string actor,
                                                http::admin::IfMatch pre) {
  if (changes.empty()) co_return core::Error::make("validation_failed", "body: no setting given");
  auto work = [this, changes = std::move(changes), actor = std::move(actor),
               pre = std::move(pre)]() -> Answer { return apply(store_, changes, actor, pre); };
  auto r = co_await run_on(worker_, std::move(work));
  co_return std::move(*r);
}

}  // namespace smimegw::app
