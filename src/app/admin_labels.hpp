// app: the admin API's label catalog and S/MIME settings services (http/admin/policy_services.hpp)
// over policy::PolicyStore, with the catalog file's parser and validator (labels_yaml.hpp: JSON is
// YAML) and the settings merge of `smimegw smime-config set` (policy::merge_patch).
//
// The store replaces the catalog as a whole, so a single-entry change loads the catalog with its
// version, edits a copy, validates the whole result and replaces it in one transaction if the
// version is unchanged. Changes through this service are serialised by a mutex; a change made
// elsewhere in between (the CLI, another instance) makes the edit start again from the new
// catalog, or fail with precondition_failed when the caller sent If-Match.
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
  Answer<Array> list() override;
  Answer<Object> get(std::string id) override;
  Answer<Object> create(boost::json::object label, http::admin::IfMatch pre) override;
  Answer<Object> patch(std::string id, boost::json::object changes,
                       http::admin::IfMatch pre) override;
  Answer<std::int64_t> remove(std::string id, http::admin::IfMatch pre) override;
  Answer<Object> replace(boost::json::object catalog, http::admin::IfMatch pre) override;
  Answer<Array> policies() override;
  Answer<Object> policy(std::string name) override;
  Answer<Object> create_policy(boost::json::object policy, http::admin::IfMatch pre) override;
  Answer<std::int64_t> remove_policy(std::string name, http::admin::IfMatch pre) override;

 private:
  using Stored = core::Result<http::admin::Versioned<boost::json::value>>;
  /// Answers from, or edits, the catalog in place: the answer, or the error that stops the edit.
  using Edit = std::function<core::Result<boost::json::value>(policy::Catalog&)>;
  /// Reads the catalog and answers from it (worker thread). Plain functions, not coroutines (see
  /// offload.hpp): co_await the optional they yield.
  boost::asio::awaitable<std::optional<Stored>> read(Edit f);
  /// Loads, edits, validates and replaces the catalog if its version did not move in between
  /// (worker thread, under the mutex); see http::admin::Labels for the retry and `pre`.
  boost::asio::awaitable<std::optional<Stored>> edit(Edit f, http::admin::IfMatch pre);

  policy::PolicyStore& store_;
  boost::asio::thread_pool& worker_;
  std::mutex mutex_;
};

class AdminSmimeConfig final : public http::admin::SmimeConfig {
 public:
  AdminSmimeConfig(policy::PolicyStore& store, boost::asio::thread_pool& worker)
      : store_(store), worker_(worker) {}
  boost::asio::awaitable<core::Result<boost::json::object>> get() override;
  boost::asio::awaitable<core::Result<boost::json::object>> patch(
      boost::json::object changes, std::string actor, http::admin::IfMatch pre) override;

 private:
  policy::PolicyStore& store_;
  boost::asio::thread_pool& worker_;
};

}  // namespace smimegw::app
