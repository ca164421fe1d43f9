// app: the admin API's services (http/admin/services.hpp) over the gateway's stores: the trust
// collection (blocking: run on a worker thread, never on the event loop), the queue store plus the
// queue listing store, the user store (password hashing, ~0.1 s of Argon2id, also on the
// worker) and the certificate store (read only). A user is named by address (primary or proxy)
// or by numeric id; a list page is read from the store page by page (users table order).
// Pagination of the trust collection happens here, in memory: a collection holds tens of CAs, and
// the store has no paging.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "smimegw/core/clock.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_queue_view_store.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/http/admin/services.hpp"
#include "smimegw/transport/queue_store.hpp"
#include "smimegw/trust/collection.hpp"

namespace smimegw::app {

class AdminTrust final : public http::admin::TrustAnchors {
 public:
  AdminTrust(db::Pool& pool, boost::asio::thread_pool& worker)
      : store_(pool), collection_(store_, clock_), worker_(worker) {}
  boost::asio::awaitable<core::Result<http::admin::ImportResult>> import(
      std::string file, std::string added_by) override;
  boost::asio::awaitable<core::Result<std::vector<http::admin::AnchorView>>> list(
      http::Page page) override;
  boost::asio::awaitable<core::Result<http::admin::AnchorView>> set_enabled(std::int64_t id,
                                                                            bool enabled) override;
  boost::asio::awaitable<core::Status> remove(std::int64_t id) override;

 private:
  core::SystemClock clock_;
  db::PgAnchorStore store_;
  trust::Collection collection_;
  boost::asio::thread_pool& worker_;
};

class AdminQueue final : public http::admin::Queue {
 public:
  AdminQueue(db::Pool& pool, transport::QueueStore& queue) : view_(pool), queue_(queue) {}
  boost::asio::awaitable<core::Result<std::vector<http::QueueItemView>>> list(
      http::admin::QueueFilter filter) override;
  boost::asio::awaitable<core::Result<http::QueueItemView>> get(std::string queue_id) override;
  boost::asio::awaitable<core::Result<int>> retry(std::string queue_id) override;
  boost::asio::awaitable<core::Status> remove(std::string queue_id) override;

 private:
  db::PgQueueViewStore view_;
  transport::QueueStore& queue_;
};

class AdminUsers final : public http::admin::Users {
 public:
  AdminUsers(directory::UserStore& users, db::Pool& pool, boost::asio::thread_pool& worker)
      : users_(users), certificates_(pool), worker_(worker) {}
  boost::asio::awaitable<core::Result<http::admin::UserView>> create(
      http::admin::NewUser user) override;
  boost::asio::awaitable<core::Result<http::admin::UserView>> get(
      std::string id_or_address) override;
  boost::asio::awaitable<core::Result<std::vector<http::admin::UserView>>> list(
      http::Page page) override;
  boost::asio::awaitable<core::Result<http::admin::UserView>> set_enabled(std::string id_or_address,
                                                                          bool enabled) override;
  boost::asio::awaitable<core::Result<std::vector<http::admin::UserCertificateView>>> certificates(
      std::string id_or_address) override;

 private:
  directory::UserStore& users_;
  db::PgCertificateStore certificates_;
  boost::asio::thread_pool& worker_;
};

}  // namespace smimegw::app
