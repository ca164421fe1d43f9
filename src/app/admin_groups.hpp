// app: the admin API's groups and sync-token services (http/admin/directory_services.hpp) over
// the group store (the one `smimegw groups` uses), the group expander with the configured limits,
// and http::AdminStore (group delete, sync tokens). A group is named by numeric id or address; a
// user by what Users::get accepts.
#pragma once

#include "smimegw/db/pg_admin_store.hpp"
#include "smimegw/db/pg_group_store.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "smimegw/http/admin/services.hpp"

namespace smimegw::app {

class AdminGroups final : public http::admin::Groups {
 public:
  AdminGroups(db::Pool& pool, http::AdminStore& admin, directory::ExpansionLimits limits)
      : store_(pool), admin_(admin), expander_(store_, limits) {}
  boost::asio::awaitable<core::Result<std::vector<http::admin::GroupView>>> list(
      http::Page page) override;
  boost::asio::awaitable<core::Result<http::admin::GroupDetail>> create(
      std::string address, std::string display_name) override;
  boost::asio::awaitable<core::Result<http::admin::GroupDetail>> get(
      std::string id_or_address) override;
  boost::asio::awaitable<core::Status> remove(std::string id_or_address) override;
  boost::asio::awaitable<core::Result<http::admin::GroupDetail>> change_members(
      std::string id_or_address, std::vector<std::string> add,
      std::vector<std::string> remove) override;
  boost::asio::awaitable<core::Result<boost::json::object>> expand(
      std::string id_or_address) override;

 private:
  /// The group's address for an id or an address (group_not_found, validation_failed).
  boost::asio::awaitable<core::Result<std::string>> address_of(std::string id_or_address);

  db::PgGroupStore store_;
  http::AdminStore& admin_;
  directory::GroupExpander expander_;
};

class AdminSyncTokens final : public http::admin::SyncTokens {
 public:
  AdminSyncTokens(http::admin::Users& users, http::AdminStore& admin)
      : users_(users), admin_(admin) {}
  boost::asio::awaitable<core::Result<std::vector<http::SyncTokenView>>> list(
      std::string user) override;
  boost::asio::awaitable<core::Result<int>> revoke(std::string user,
                                                   std::optional<std::int64_t> token_id) override;

 private:
  http::admin::Users& users_;
  http::AdminStore& admin_;
};

}  // namespace smimegw::app
