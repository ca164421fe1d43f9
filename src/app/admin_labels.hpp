// app: the admin API's label catalog and S/MIME settings services (http/admin/policy_services.hpp)
// over policy::PolicyStore, with the catalog file's parser and validator (labels_yaml.hpp: JSON is
// YAML) and the settings merge of `smimegw smime-config set` (policy::merge_patch).
//
// The store replaces the catalog as a whole, so a single-entry change loads the catalog, edits a
// copy, validates the whole result and replaces it in one transaction. Changes through this
// service are serialised by a mutex; a change made elsewhere in between (the CLI, another
// instance) is overwritten by the later replace (last writer wins, as with `labels import`).
// The store is blocking: every call runs on the admin worker thread.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <mutex>
#include <optional>

#include "smimegw/http/admin/policy_services.hpp"
#include "smimegw/policy/policy_store.hpp"

namespace smimegw::app {

class AdminLabels final : public http::admin::Labels {
 public:
  AdminLabels(policy::PolicyStore& store, boost::asio::thread_pool& worker)
      : store_(store), worker_(worker) {}
  boost::asio::awaitable<core::Result<boost::json::array>> list() override;
  boost::asio::awaitable<core::Result<boost::json::object>> get(std::string id) override;
  boost::asio::awaitable<core::Result<boost::json::object>> create(
      boost::json::object label) override;
  boost::asio::awaitable<core::Result<boost::json::object>> patch(
      std::string id, boost::json::object changes) override;
  boost::asio::awaitable<core::Status> remove(std::string id) override;
  boost::asio::awaitable<core::Result<boost::json::object>> replace(
      boost::json::object catalog) override;
  boost::asio::awaitable<core::Result<boost::json::array>> policies() override;
  boost::asio::awaitable<core::Result<boost::json::object>> policy(std::string name) override;
  boost::asio::awaitable<core::Result<boost::json::object>> create_policy(
      boost::json::object policy) override;
  boost::asio::awaitable<core::Status> remove_policy(std::string name) override;

 private:
  using Value = core::Result<boost::json::value>;
  using Edit = std::function<Value(policy::Catalog&)>;
  /// Reads the catalog and answers from it (worker thread). Plain functions, not coroutines (see
  /// offload.hpp): co_await the optional they yield.
  boost::asio::awaitable<std::optional<Value>> read(Edit f);
  /// Loads, edits, validates and replaces the catalog under the mutex (worker thread).
  boost::asio::awaitable<std::optional<Value>> edit(Edit f);

  policy::PolicyStore& store_;
  boost::asio::thread_pool& worker_;
  std::mutex mutex_;
};

class AdminSmimeConfig final : public http::admin::SmimeConfig {
 public:
  AdminSmimeConfig(policy::PolicyStore& store, boost::asio::thread_pool& worker)
      : store_(store), worker_(worker) {}
  boost::asio::awaitable<core::Result<boost::json::object>> get() override;
  boost::asio::awaitable<core::Result<boost::json::object>> patch(boost::json::object changes,
                                                                  std::string actor) override;

 private:
  policy::PolicyStore& store_;
  boost::asio::thread_pool& worker_;
};

}  // namespace smimegw::app
