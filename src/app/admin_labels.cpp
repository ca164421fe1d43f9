// app: the admin API's label catalog (admin_labels.hpp).
#include "admin_labels.hpp"

#include <botan/auto_rng.h>
#include <botan/hex.h>

#include <algorithm>

#include "labels_render.hpp"
#include "labels_yaml.hpp"
#include "offload.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;
using http::admin::IfMatch;
using Reply = core::Result<json::value>;
using Stored = core::Result<http::admin::Versioned<json::value>>;

namespace {

core::Error invalid(const std::vector<std::string>& errors) {
  std::string msg;
  for (const auto& e : errors) msg += (msg.empty() ? "" : "; ") + e;
  return core::Error::make("validation_failed", msg);
}

/// Validator errors of the edited catalog; those of entry `prefix` ("labels[3]") lose the
/// prefix, so they name the field of the body ("priority: ...").
core::Error invalid_fields(const policy::FieldErrors& errors, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : errors) {
    std::string f = e.field;
    if (!prefix.empty() && f == prefix)
      f = "body";
    else if (!prefix.empty() && f.rfind(prefix + ".", 0) == 0)
      f = f.substr(prefix.size() + 1);
    out.push_back((f.empty() ? "body" : f) + ": " + e.message);
  }
  return invalid(out);
}

/// `answer` when the edited catalog is valid.
Reply checked(const policy::Catalog& cat, const std::string& prefix, json::value answer) {
  if (auto errors = policy::validate(cat); !errors.empty()) return invalid_fields(errors, prefix);
  return answer;
}

core::Error stale(std::int64_t version) {
  return core::Error::make("precondition_failed",
                           "the label catalog is now \"catalog-" + std::to_string(version) +
                               "\", not the version of If-Match; read it again");
}

/// Attempts of an edit that keeps finding the catalog changed under it (no If-Match).
constexpr int kEditAttempts = 5;

std::string new_guid() {
  Botan::AutoSeeded_RNG rng;
  auto b = rng.random_vec(16);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  auto h = Botan::hex_encode(b.data(), b.size(), false);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

/// RFC 7396 merge patch of `patch` into `target`.
void merge(json::object& target, const json::object& patch) {
  for (const auto& kv : patch) {
    if (kv.value().is_null()) {
      target.erase(kv.key());
    } else if (kv.value().is_object() && target.contains(kv.key()) &&
               target.at(kv.key()).is_object()) {
      merge(target.at(kv.key()).as_object(), kv.value().as_object());
    } else {
      target[kv.key()] = kv.value();
    }
  }
}

core::Error no_label(const std::string& id) {
  return core::Error::make("not_found", "no label \"" + id + "\"");
}

core::Error no_policy(const std::string& name) {
  return core::Error::make("not_found", "no label policy \"" + name + "\"");
}

std::size_t index_of(const policy::Catalog& c, const policy::Label* l) {
  return static_cast<std::size_t>(l - c.labels.data());
}

core::Result<http::admin::Labels::Object> object_of(Stored v) {
  if (!v) return v.error();
  return http::admin::Labels::Object{std::move(v->value.as_object()), v->version};
}

core::Result<http::admin::Labels::Array> array_of(Stored v) {
  if (!v) return v.error();
  return http::admin::Labels::Array{std::move(v->value.as_array()), v->version};
}

core::Result<std::int64_t> version_of(Stored v) {
  if (!v) return v.error();
  return v->version;
}

}  // namespace

asio::awaitable<std::optional<Stored>> AdminLabels::read(Edit f) {
  return run_on(worker_, [this, f = std::move(f)]() -> Stored {
    auto cur = store_.load_versioned_catalog();
    if (!cur) return cur.error();
    auto answer = f(cur->catalog);
    if (!answer) return answer.error();
    return http::admin::Versioned<json::value>{std::move(*answer), cur->version};
  });
}

asio::awaitable<std::optional<Stored>> AdminLabels::edit(Edit f, IfMatch pre) {
  return run_on(worker_, [this, f = std::move(f), pre = std::move(pre)]() -> Stored {
    std::lock_guard lock(mutex_);
    for (int attempt = 1;; ++attempt) {
      auto cur = store_.load_versioned_catalog();
      if (!cur) return cur.error();
      if (!pre.holds(cur->version)) return stale(cur->version);
      auto answer = f(cur->catalog);
      if (!answer) return answer.error();
      auto version = store_.replace_catalog_if(cur->catalog, cur->version);
      if (version) return http::admin::Versioned<json::value>{std::move(*answer), *version};
      // Changed since the read (another instance, the CLI): apply the edit to the new catalog,
      // unless the caller asked for the version it had read.
      if (version.error().code != "conflict" || attempt == kEditAttempts) return version.error();
      if (!pre.any) {
        auto now = store_.load_versioned_catalog();
        if (!now) return now.error();
        return stale(now->version);
      }
    }
  });
}

asio::awaitable<core::Result<AdminLabels::Array>> AdminLabels::list() {
  Edit f = [](policy::Catalog& c) -> Reply {
    json::array out;
    for (const auto& l : c.labels) out.push_back(label_json(l, c));
    return json::value(std::move(out));
  };
  auto r = co_await read(std::move(f));
  co_return array_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::get(std::string id) {
  Edit f = [id](policy::Catalog& c) -> Reply {
    const auto* l = policy::find_label(c, id);
    if (!l) return no_label(id);
    return json::value(label_json(*l, c));
  };
  auto r = co_await read(std::move(f));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::create(json::object body,
                                                                       IfMatch pre) {
  if (!body.contains("id")) body["id"] = new_guid();
  std::vector<std::string> errors;
  auto label = parse_label_text(json::serialize(body), errors);
  if (!label) co_return invalid(errors);
  Edit f = [l = *label](policy::Catalog& c) -> Reply {
    c.labels.push_back(l);
    auto prefix = "labels[" + std::to_string(c.labels.size() - 1) + "]";
    return checked(c, prefix, label_json(l, c));
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::patch(std::string id,
                                                                      json::object changes,
                                                                      IfMatch pre) {
  Edit f = [id, changes](policy::Catalog& c) -> Reply {
    const auto* l = policy::find_label(c, id);
    if (!l) return no_label(id);
    auto i = index_of(c, l);
    auto doc = label_json(*l, c);
    doc.erase("published_by");
    merge(doc, changes);
    std::vector<std::string> errors;
    auto next = parse_label_text(json::serialize(doc), errors);
    if (!next) return invalid(errors);
    if (next->id != c.labels[i].id)
      return core::Error::make("validation_failed", "id: cannot be changed");
    c.labels[i] = *next;
    return checked(c, "labels[" + std::to_string(i) + "]", label_json(*next, c));
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<std::int64_t>> AdminLabels::remove(std::string id, IfMatch pre) {
  Edit f = [id](policy::Catalog& c) -> Reply {
    const auto* l = policy::find_label(c, id);
    if (!l) return no_label(id);
    std::string users;
    for (const auto& p : c.policies)
      if (std::find(p.labels.begin(), p.labels.end(), l->id) != p.labels.end() ||
          p.default_label == l->id)
        users += (users.empty() ? "" : ", ") + p.name;
    if (!users.empty())
      return core::Error::make("conflict", "label \"" + l->name + "\" is published by policy " +
                                               users + "; change or delete the policy first");
    c.labels.erase(c.labels.begin() + static_cast<std::ptrdiff_t>(index_of(c, l)));
    return checked(c, "", nullptr);
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return version_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::replace(json::object body,
                                                                        IfMatch pre) {
  std::vector<std::string> errors;
  auto cat = parse_catalog_text(json::serialize(body), errors);
  if (!cat) co_return invalid(errors);
  Edit f = [next = *cat](policy::Catalog& c) -> Reply {
    c = next;
    return json::value(
        json::object{{"labels", next.labels.size()}, {"policies", next.policies.size()}});
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Array>> AdminLabels::policies() {
  Edit f = [](policy::Catalog& c) -> Reply {
    json::array out;
    for (const auto& p : c.policies) out.push_back(policy_json(p, c));
    return json::value(std::move(out));
  };
  auto r = co_await read(std::move(f));
  co_return array_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::policy(std::string name) {
  Edit f = [name](policy::Catalog& c) -> Reply {
    const auto* p = policy::find_policy(c, name);
    if (!p) return no_policy(name);
    return json::value(policy_json(*p, c));
  };
  auto r = co_await read(std::move(f));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<AdminLabels::Object>> AdminLabels::create_policy(json::object body,
                                                                              IfMatch pre) {
  auto text = json::serialize(body);
  Edit f = [text](policy::Catalog& c) -> Reply {
    std::vector<std::string> errors;
    auto p = parse_policy_text(text, c, errors);
    if (!p) return invalid(errors);
    c.policies.push_back(*p);
    auto prefix = "policies[" + std::to_string(c.policies.size() - 1) + "]";
    return checked(c, prefix, policy_json(*p, c));
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return object_of(std::move(*r));
}

asio::awaitable<core::Result<std::int64_t>> AdminLabels::remove_policy(std::string name,
                                                                       IfMatch pre) {
  Edit f = [name](policy::Catalog& c) -> Reply {
    const auto* p = policy::find_policy(c, name);
    if (!p) return no_policy(name);
    c.policies.erase(c.policies.begin() + (p - c.policies.data()));
    return checked(c, "", nullptr);
  };
  auto r = co_await edit(std::move(f), std::move(pre));
  co_return version_of(std::move(*r));
}

}  // namespace smimegw::app
