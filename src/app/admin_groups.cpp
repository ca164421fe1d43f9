// app: the admin API's groups and sync tokens (admin_groups.hpp).
#include "admin_groups.hpp"

#include "group_render.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/http/json.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using namespace http::admin;

namespace {

GroupView view_of(const directory::Group& g) {
  return {g.id, g.address, g.display_name, g.member_count};
}

GroupDetail detail_of(const directory::Group& g, const std::vector<directory::GroupMember>& ms) {
  GroupDetail d{view_of(g), {}};
  d.group.member_count = ms.size();
  for (const auto& m : ms)
    d.members.push_back({directory::to_string(m.kind), m.address, m.id, m.enabled});
  return d;
}

core::Result<std::string> pick_by_id(const std::vector<directory::Group>& groups, std::int64_t id) {
  for (const auto& g : groups)
    if (g.id == id) return g.address;
  return core::Error::make("group_not_found", "no group " + std::to_string(id));
}

}  // namespace

asio::awaitable<core::Result<std::string>> AdminGroups::address_of(std::string id_or_address) {
  if (auto id = http::numeric_id(id_or_address)) {
    auto all = co_await store_.list();
    if (!all) co_return all.error();
    co_return pick_by_id(*all, *id);
  }
  auto a = core::Address::parse(id_or_address);
  if (!a)
    co_return core::Error::make("validation_failed",
                                "id: neither a group id nor an address: " + a.error().message);
  co_return a->key();
}

asio::awaitable<core::Result<std::vector<GroupView>>> AdminGroups::list(http::Page page) {
  auto all = co_await store_.list();
  if (!all) co_return all.error();
  std::vector<GroupView> out;
  for (std::size_t i = static_cast<std::size_t>(page.skip);
       i < all->size() && out.size() <= static_cast<std::size_t>(page.top); ++i)
    out.push_back(view_of((*all)[i]));
  co_return out;
}

asio::awaitable<core::Result<GroupDetail>> AdminGroups::create(std::string address,
                                                               std::string display_name) {
  auto id = co_await store_.create(address, display_name);
  if (!id) co_return id.error();
  co_return GroupDetail{{*id, address, display_name, 0}, {}};
}

asio::awaitable<core::Result<GroupDetail>> AdminGroups::get(std::string id_or_address) {
  std::vector<std::string> none;  // named: no temporaries in co_await (g++ 12)
  co_return co_await change_members(std::move(id_or_address), none, none);
}

asio::awaitable<core::Status> AdminGroups::remove(std::string id_or_address) {
  auto address = co_await address_of(std::move(id_or_address));
  if (!address) co_return address.error();
  co_return co_await admin_.delete_group(*address);
}

asio::awaitable<core::Result<GroupDetail>> AdminGroups::change_members(
    std::string id_or_address, std::vector<std::string> add, std::vector<std::string> remove) {
  auto address = co_await address_of(std::move(id_or_address));
  if (!address) co_return address.error();
  // With nothing to add or remove this reads the direct members in the same transaction shape.
  auto members = co_await store_.change_members(*address, std::move(add), std::move(remove));
  if (!members) co_return members.error();
  auto g = co_await store_.find(*address);
  if (!g) co_return g.error();
  if (!*g) co_return core::Error::make("group_not_found", "no group with address " + *address);
  co_return detail_of(**g, *members);
}

asio::awaitable<core::Result<boost::json::object>> AdminGroups::expand(std::string id_or_address) {
  auto address = co_await address_of(std::move(id_or_address));
  if (!address) co_return address.error();
  auto e = co_await expander_.expand(*address);
  if (!e) co_return e.error();
  co_return expansion_json(*e);
}

asio::awaitable<core::Result<std::vector<http::SyncTokenView>>> AdminSyncTokens::list(
    std::string user) {
  auto u = co_await users_.get(std::move(user));
  if (!u) co_return u.error();
  co_return co_await admin_.sync_tokens(u->id);
}

asio::awaitable<core::Result<int>> AdminSyncTokens::revoke(std::string user,
                                                           std::optional<std::int64_t> token_id) {
  auto u = co_await users_.get(std::move(user));
  if (!u) co_return u.error();
  co_return co_await admin_.revoke_sync_tokens(u->id, token_id);
}

}  // namespace smimegw::app
