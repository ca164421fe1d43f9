// transport: the policy data the intake decides with — the label catalog, the S/MIME settings and
// the members of every group a label policy is assigned to — cached and reloaded when the
// store's generation changes (checked at most once per `refresh`), and each sender's own S/MIME
// settings. PolicyStore calls block, so they run on this object's own threads, never on the
// event loop.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/policy/policy_store.hpp"
#include "smimegw/policy/smime_settings.hpp"

namespace smimegw::transport {

struct PolicySnapshot {
  policy::Catalog catalog;
  policy::SmimeSettings settings;
  /// Group address → every member address (primary addresses of users, external addresses),
  /// for the groups named in label policy assignments.
  std::map<std::string, std::set<std::string>> group_members;
  std::int64_t generation = -1;

  /// The groups (of those above) that `addresses` belong to.
  std::vector<std::string> groups_of(const std::vector<std::string>& addresses) const;
};

class PolicySource {
 public:
  /// `expander` may be null (no group assignments are resolved).
  PolicySource(policy::PolicyStore& store, directory::GroupExpander* expander,
               std::chrono::milliseconds refresh = std::chrono::milliseconds(2000));
  ~PolicySource();
  PolicySource(const PolicySource&) = delete;
  PolicySource& operator=(const PolicySource&) = delete;

  /// The current snapshot (reloaded when stale); a store failure with no snapshot yet fails
  /// (db_unavailable), with one it keeps serving the last one.
  boost::asio::awaitable<core::Result<std::shared_ptr<const PolicySnapshot>>> snapshot();
  /// The sender's settings (nullopt: none stored).
  boost::asio::awaitable<core::Result<std::optional<policy::UserSmimeSettings>>> user_settings(
      std::string address);

 private:
  boost::asio::awaitable<core::Result<std::shared_ptr<const PolicySnapshot>>> reload();
  policy::PolicyStore& store_;
  directory::GroupExpander* expander_;
  std::chrono::milliseconds refresh_;
  boost::asio::thread_pool threads_{2};
  std::mutex mu_;
  std::shared_ptr<const PolicySnapshot> current_;
  std::chrono::steady_clock::time_point checked_{};
};

}  // namespace smimegw::transport
