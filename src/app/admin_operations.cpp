// app: the admin API's operations views (admin_operations.hpp).
#include "admin_operations.hpp"

#include "offload.hpp"
#include "trace_render.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using http::admin::CrlRefreshView;
using http::admin::CrlView;

namespace {

std::vector<CrlView> crl_views(const std::vector<trust::StoredCrl>& stored,
                               const std::map<std::string, TrustService::LastRefresh>& last) {
  std::vector<CrlView> out;
  for (const auto& c : stored) {
    CrlView v{c.url, c.issuer, c.this_update, c.next_update, c.fetched_at, {}, {}};
    if (auto it = last.find(c.url); it != last.end()) {
      v.last_result = it->second.ok ? std::string("ok") : it->second.error;
      v.last_attempt = it->second.at;
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

asio::awaitable<core::Result<boost::json::array>> AdminOperations::trace(std::string queue_id) {
  auto events = co_await trace_.list(queue_id);
  if (!events) co_return events.error();
  if (events->empty())
    co_return core::Error::make("not_found", "nothing is recorded for " + queue_id);
  co_return trace_json(*events);
}

asio::awaitable<core::Result<std::vector<http::ExpiringCertificate>>> AdminOperations::expiring(
    int days, http::Page page) {
  co_return co_await admin_.expiring_certificates(days, page.top + 1, page.skip);
}

asio::awaitable<core::Result<std::vector<CrlView>>> AdminOperations::crls() {
  auto work = [this]() -> core::Result<std::vector<CrlView>> {
    auto stored = trust_.crl_store().list_crls();
    if (!stored) return stored.error();
    return crl_views(*stored, trust_.last_refresh());
  };
  auto r = co_await run_on(worker_, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Result<std::vector<CrlRefreshView>>> AdminOperations::refresh_crls() {
  auto work = [this]() -> core::Result<std::vector<CrlRefreshView>> {
    std::vector<CrlRefreshView> out;
    for (const auto& o : trust_.refresh_now()) out.push_back({o.url, o.ok, o.error, o.next_update});
    return out;
  };
  auto r = co_await run_on(worker_, std::move(work));
  co_return std::move(*r);
}

}  // namespace smimegw::app
