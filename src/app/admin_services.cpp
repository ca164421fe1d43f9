#include "admin_services.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <span>

#include "smimegw/core/address.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/password.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using namespace http::admin;

namespace {

/// Runs blocking `f` on `worker`; co_await the result to resume on the caller's executor. A plain
/// function, not a coroutine: g++ 12 destroyed a closure passed by value to a coroutine twice.
/// Callers name the closure first (no closure temporary inside a co_await expression).
template <class F>
auto offload(asio::thread_pool& worker, F f) {
  using R = decltype(f());
  // co_spawn needs a default-constructible value type, hence the optional.
  return asio::co_spawn(
      worker, [f = std::move(f)]() mutable -> asio::awaitable<std::optional<R>> { co_return f(); },
      asio::use_awaitable);
}

AnchorView view_of(const trust::StoredAnchor& a) {
  return {a.id,      a.subject,   a.issuer,   a.sha256,  a.is_root,
          a.enabled, a.not_after, a.added_by, a.added_at};
}

ImportResult result_of(const trust::ImportReport& r) {
  ImportResult out;
  out.format = r.format;
  for (const auto& o : r.items)
    out.items.push_back({o.origin, o.status, o.detail, o.subject, o.sha256, o.id, o.is_root});
  return out;
}

http::QueueItemView view_of(const transport::QueueEntry& e) {
  http::QueueItemView v;
  v.queue_id = e.queue_id;
  v.source = e.source;
  v.mail_from = e.mail_from;
  v.received_at = e.received_at;
  v.size_bytes = e.size_bytes;
  for (const auto& r : e.recipients)
    v.recipients.push_back(
        {r.address, r.route, r.state, r.attempts, r.next_attempt_at, r.last_reply});
  return v;
}

UserView view_of(const directory::User& u) {
  return {u.id, u.address, u.display_name, u.enabled, u.proxy_addresses};
}

}  // namespace

// ---- trust --------------------------------------------------------------------------------

asio::awaitable<core::Result<ImportResult>> AdminTrust::import(std::string file,
                                                               std::string added_by) {
  auto work = [this, file = std::move(file),
               by = std::move(added_by)]() -> core::Result<ImportResult> {
    auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(file.data()), file.size());
    auto r = collection_.import(bytes, by);
    if (!r) return r.error();
    return result_of(*r);
  };
  auto r = co_await offload(worker_, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Result<std::vector<AnchorView>>> AdminTrust::list(http::Page page) {
  auto work = [this, page]() -> core::Result<std::vector<AnchorView>> {
    auto all = collection_.list(false);
    if (!all) return all.error();
    std::sort(all->begin(), all->end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::vector<AnchorView> out;
    for (std::size_t i = static_cast<std::size_t>(page.skip);
         i < all->size() && out.size() <= static_cast<std::size_t>(page.top); ++i)
      out.push_back(view_of((*all)[i]));
    return out;
  };
  auto r = co_await offload(worker_, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Result<AnchorView>> AdminTrust::set_enabled(std::int64_t id, bool enabled) {
  auto work = [this, id, enabled]() -> core::Result<AnchorView> {
    if (auto st = collection_.set_enabled(id, enabled); !st) return st.error();
    auto a = store_.find(id);
    if (!a) return a.error();
    if (!*a) return core::Error::make("not_found", "no trust anchor " + std::to_string(id));
    return view_of(**a);
  };
  auto r = co_await offload(worker_, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Status> AdminTrust::remove(std::int64_t id) {
  auto work = [this, id]() { return collection_.remove(id); };
  auto r = co_await offload(worker_, std::move(work));
  co_return std::move(*r);
}

// ---- queue --------------------------------------------------------------------------------

asio::awaitable<core::Result<std::vector<http::QueueItemView>>> AdminQueue::list(
    QueueFilter filter) {
  http::QueueQuery q{filter.state, filter.sender, filter.page.top + 1, filter.page.skip};
  co_return co_await view_.list(q);
}

asio::awaitable<core::Result<http::QueueItemView>> AdminQueue::get(std::string queue_id) {
  auto e = co_await queue_.show(queue_id);
  if (!e) co_return e.error();
  if (!*e) co_return core::Error::make("not_found", "no queued message " + queue_id);
  co_return view_of(**e);
}

asio::awaitable<core::Result<int>> AdminQueue::retry(std::string queue_id) {
  co_return co_await queue_.retry(queue_id);
}

asio::awaitable<core::Status> AdminQueue::remove(std::string queue_id) {
  co_return co_await queue_.remove(queue_id);
}

// ---- users --------------------------------------------------------------------------------

asio::awaitable<core::Result<UserView>> AdminUsers::create(NewUser user) {
  directory::User u;
  u.address = user.address;
  u.display_name = user.display_name;
  u.proxy_addresses = user.proxy_addresses;
  if (!user.password.empty()) {
    auto work = [p = std::move(user.password)] { return directory::hash_password(p); };
    auto hash = co_await offload(worker_, std::move(work));
    u.password_hash = std::move(*hash);
  }
  auto id = co_await users_.create(u);
  if (!id) co_return id.error();
  u.id = *id;
  co_return view_of(u);
}

namespace {

std::vector<UserView> views_of(const std::vector<directory::User>& users) {
  std::vector<UserView> out;
  out.reserve(users.size());
  for (const auto& u : users) out.push_back(view_of(u));
  return out;
}

std::vector<UserCertificateView> certificate_views(
    const std::vector<directory::UserCertificate>& certs) {
  std::vector<UserCertificateView> out;
  for (const auto& c : certs)
    out.push_back({c.id, c.thumbprint, directory::to_string(c.usage), c.not_before, c.not_after,
                   c.source, c.has_private_key, c.enabled});
  return out;
}

}  // namespace

asio::awaitable<core::Result<UserView>> AdminUsers::get(std::string id_or_address) {
  if (auto id = http::numeric_id(id_or_address)) {
    auto u = co_await users_.find_by_id(*id);
    if (!u) co_return u.error();
    if (!*u) co_return core::Error::make("not_found", "no user " + id_or_address);
    co_return view_of(**u);
  }
  auto addr = core::Address::parse(id_or_address);
  if (!addr)
    co_return core::Error::make("validation_failed",
                                "id: neither a user id nor an address: " + addr.error().message);
  std::string key = addr->key();
  auto u = co_await users_.find_by_address(key);
  if (!u) co_return u.error();
  if (!*u) co_return core::Error::make("not_found", "no user " + addr->key());
  co_return view_of(**u);
}

asio::awaitable<core::Result<std::vector<UserView>>> AdminUsers::list(http::Page page) {
  // one more than the page: page_response() turns it into nextLink
  auto users = co_await users_.list_page(page.skip, std::int64_t{page.top} + 1);
  if (!users) co_return users.error();
  co_return views_of(*users);
}

asio::awaitable<core::Result<UserView>> AdminUsers::set_enabled(std::string id_or_address,
                                                                bool enabled) {
  auto u = co_await get(id_or_address);
  if (!u) co_return u.error();
  std::string address = u->address;
  auto st = co_await users_.set_enabled(address, enabled);
  if (!st) co_return st.error();
  u->enabled = enabled;
  co_return std::move(*u);
}

asio::awaitable<core::Result<std::vector<UserCertificateView>>> AdminUsers::certificates(
    std::string id_or_address) {
  auto u = co_await get(id_or_address);
  if (!u) co_return u.error();
  auto certs = co_await certificates_.user_certificates(u->id);
  if (!certs) co_return certs.error();
  co_return certificate_views(*certs);
}

}  // namespace smimegw::app
