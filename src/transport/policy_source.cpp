// transport: PolicySource — cached policy data for the intake (policy_source.hpp).
#include "smimegw/transport/policy_source.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace smimegw::transport {

namespace asio = boost::asio;

namespace {

// Plain coroutines with by-value parameters run the blocking store calls on the pool's threads
// (no capturing lambda coroutines: docs/architecture.md).
// co_spawn(..., use_awaitable) needs a default-constructible result: Result is wrapped in optional.
template <class T>
using Boxed = std::optional<core::Result<T>>;

asio::awaitable<Boxed<std::int64_t>> load_generation(policy::PolicyStore* store) {
  co_return store->generation();
}

struct Loaded {
  policy::Catalog catalog;
  policy::SmimeSettings settings;
};

asio::awaitable<Boxed<Loaded>> load_all(policy::PolicyStore* store) {
  auto catalog = store->load_catalog();
  if (!catalog) co_return core::Result<Loaded>(catalog.error());
  auto settings = store->smime_settings();
  if (!settings) co_return core::Result<Loaded>(settings.error());
  co_return core::Result<Loaded>(Loaded{std::move(*catalog), std::move(settings->settings)});
}

asio::awaitable<Boxed<std::optional<policy::UserSmimeSettings>>> load_user(
    policy::PolicyStore* store, std::string address) {
  auto r = store->user_settings(address);
  if (!r && r.error().code == "not_found")
    r = core::Result<std::optional<policy::UserSmimeSettings>>(
        std::optional<policy::UserSmimeSettings>{});
  co_return r;
}

std::set<std::string> assigned_groups(const policy::Catalog& catalog) {
  std::set<std::string> out;
  for (const auto& p : catalog.policies) out.insert(p.groups.begin(), p.groups.end());
  return out;
}

}  // namespace

std::vector<std::string> PolicySnapshot::groups_of(
    const std::vector<std::string>& addresses) const {
  std::vector<std::string> out;
  for (const auto& [group, members] : group_members)
    for (const auto& a : addresses)
      if (members.count(a)) {
        out.push_back(group);
        break;
      }
  return out;
}

PolicySource::PolicySource(policy::PolicyStore& store, directory::GroupExpander* expander,
                           std::chrono::milliseconds refresh)
    : store_(store), expander_(expander), refresh_(refresh) {}

PolicySource::~PolicySource() {
  threads_.join();
}

asio::awaitable<core::Result<std::shared_ptr<const PolicySnapshot>>> PolicySource::snapshot() {
  std::shared_ptr<const PolicySnapshot> have;
  bool stale = true;
  {
    std::lock_guard lock(mu_);
    have = current_;
    auto now = std::chrono::steady_clock::now();
    stale = !have || now - checked_ >= refresh_;
    if (stale) checked_ = now;  // one caller reloads; the others keep the current snapshot
  }
  if (!stale) co_return have;
  auto fresh = co_await reload();
  if (fresh) co_return fresh;
  if (have) co_return have;
  std::lock_guard lock(mu_);
  checked_ = {};
  co_return fresh.error();
}

asio::awaitable<core::Result<std::shared_ptr<const PolicySnapshot>>> PolicySource::reload() {
  auto boxed_gen = co_await asio::co_spawn(threads_, load_generation(&store_), asio::use_awaitable);
  auto gen = std::move(*boxed_gen);
  if (!gen) co_return gen.error();
  std::shared_ptr<const PolicySnapshot> have;
  {
    std::lock_guard lock(mu_);
    have = current_;
  }
  if (have && have->generation == *gen) co_return have;
  auto boxed = co_await asio::co_spawn(threads_, load_all(&store_), asio::use_awaitable);
  auto loaded = std::move(*boxed);
  if (!loaded) co_return loaded.error();
  auto snap = std::make_shared<PolicySnapshot>();
  snap->catalog = std::move(loaded->catalog);
  snap->settings = std::move(loaded->settings);
  snap->generation = *gen;
  if (expander_) {
    for (const auto& group : assigned_groups(snap->catalog)) {
      auto expansion = co_await expander_->expand(group);
      if (!expansion) continue;  // a group that no longer exists assigns nobody
      auto& members = snap->group_members[group];
      for (const auto& m : expansion->members) members.insert(m.member.address);
    }
  }
  std::lock_guard lock(mu_);
  current_ = snap;
  co_return std::shared_ptr<const PolicySnapshot>(snap);
}

asio::awaitable<core::Result<std::optional<policy::UserSmimeSettings>>> PolicySource::user_settings(
    std::string address) {
  auto boxed = co_await asio::co_spawn(threads_, load_user(&store_, std::move(address)),
                                       asio::use_awaitable);
  co_return std::move(*boxed);
}

}  // namespace smimegw::transport
