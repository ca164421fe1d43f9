// app: the admin API's operations views (http/admin/operations_services.hpp): message trace over
// the trace store, expiring certificates over http::AdminStore, and the CRLs of the trust service
// (crl_cache rows with the latest refresh outcome per URL; refresh now). The CRL calls are
// blocking (database, http fetches) and run on the admin worker thread.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "smimegw/db/pg_trace_store.hpp"
#include "smimegw/http/admin/services.hpp"
#include "trust_service.hpp"

namespace smimegw::app {

class AdminOperations final : public http::admin::Operations {
 public:
  AdminOperations(db::Pool& pool, http::AdminStore& admin, TrustService& trust,
                  boost::asio::thread_pool& worker)
      : trace_(pool), admin_(admin), trust_(trust), worker_(worker) {}
  boost::asio::awaitable<core::Result<boost::json::array>> trace(std::string queue_id) override;
  boost::asio::awaitable<core::Result<std::vector<http::ExpiringCertificate>>> expiring(
      int days, http::Page page) override;
  boost::asio::awaitable<core::Result<std::vector<http::admin::CrlView>>> crls() override;
  boost::asio::awaitable<core::Result<std::vector<http::admin::CrlRefreshView>>> refresh_crls()
      override;

 private:
  db::PgTraceStore trace_;
  http::AdminStore& admin_;
  TrustService& trust_;
  boost::asio::thread_pool& worker_;
};

}  // namespace smimegw::app
