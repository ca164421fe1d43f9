// app: the trust validation service of `serve` and its CRL refresh loop (trust_service.hpp).
#include "trust_service.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "smimegw/core/time_format.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using Outcomes = std::vector<trust::RefreshOutcome>;

trust::ValidatorOptions validator_options(const config::Config& cfg) {
  const auto& t = cfg.trust;
  trust::ValidatorOptions o;
  o.fetch.connect_timeout = std::chrono::milliseconds(t.crl_connect_timeout_ms);
  o.fetch.total_timeout = std::chrono::milliseconds(t.crl_total_timeout_ms);
  o.expiry_warning = std::chrono::days(t.expiry_warning_days);
  o.accept_sha1 = t.accept_sha1;
  o.ocsp = trust::parse_ocsp_mode(t.ocsp).value_or(trust::OcspMode::off);
  return o;
}

trust::RefreshPolicy refresh_policy(const config::Config& cfg) {
  const auto& t = cfg.trust;
  trust::RefreshPolicy p;
  p.margin = std::chrono::seconds(t.crl_refresh_margin_s);
  p.min_interval = std::chrono::seconds(t.crl_refresh_check_s);
  p.max_backoff = std::chrono::seconds(t.crl_refresh_max_backoff_s);
  return p;
}

TrustService::TrustService(asio::io_context& io, db::Pool& pool, const config::Config& cfg,
                           obs::Metrics& metrics)
    : io_(io),
      anchors_(pool),
      crl_store_(pool),
      validator_(anchors_, &crl_store_, validator_options(cfg)),
      revocation_(trust::parse_revocation_mode(cfg.trust.revocation)
                      .value_or(trust::RevocationMode::require)),
      refresher_(validator_.crls(), refresh_policy(cfg)),
      check_(cfg.trust.crl_refresh_check_s),
      timer_(io),
      refreshed_(metrics.counter("smimegw_crl_refresh_total", "CRL refresh attempts by outcome.",
                                 "result=\"ok\"")),
      failed_(metrics.counter("smimegw_crl_refresh_total", "CRL refresh attempts by outcome.",
                              "result=\"failed\"")),
      held_(metrics.gauge("smimegw_crls_held", "CRLs held in memory by distribution point.")) {}

TrustService::~TrustService() {
  stop();
  worker_.join();
}

void TrustService::start() {
  asio::co_spawn(io_, refresh_loop(), asio::detached);
}

void TrustService::stop() {
  stopping_ = true;
  timer_.cancel();
}

std::map<std::string, TrustService::LastRefresh> TrustService::last_refresh() const {
  std::lock_guard lock(last_mutex_);
  return last_;
}

Outcomes TrustService::refresh_now() {
  std::vector<std::string> urls;
  if (auto stored = crl_store_.list_crls())
    for (const auto& c : *stored) urls.push_back(c.url);
  for (const auto& [url, next] : validator_.crls().held())
    if (std::find(urls.begin(), urls.end(), url) == urls.end()) urls.push_back(url);
  Outcomes out;
  for (const auto& url : urls) {
    trust::RefreshOutcome o;
    o.url = url;
    auto r = validator_.crls().refresh(url);
    o.ok = static_cast<bool>(r);
    if (r)
      o.next_update = (*r)->next_update();
    else
      o.error = r.error().code + ": " + r.error().message;
    o.next_attempt = std::chrono::system_clock::now();
    out.push_back(std::move(o));
  }
  report(out);
  return out;
}

void TrustService::report(const Outcomes& outcomes) {
  {
    std::lock_guard lock(last_mutex_);
    for (const auto& o : outcomes) last_[o.url] = {o.ok, o.error, std::chrono::system_clock::now()};
  }
  auto log = obs::logger("trust");
  for (const auto& o : outcomes) {
    if (o.ok) {
      refreshed_.inc();
      obs::log(*log, spdlog::level::info, "crl_refreshed",
               {{"url", o.url},
                {"next_update", o.next_update ? core::iso8601_utc(*o.next_update) : "none"}});
    } else {
      failed_.inc();
      obs::log(*log, spdlog::level::warn, "crl_refresh_failed",
               {{"url", o.url},
                {"error", o.error},
                {"failures", std::to_string(o.failures)},
                {"retry_at", core::iso8601_utc(o.next_attempt)}});
    }
  }
  held_.set(static_cast<std::int64_t>(validator_.crls().held().size()));
}

asio::awaitable<void> TrustService::refresh_loop() {
  auto log = obs::logger("trust");
  auto loaded = co_await asio::co_spawn(
      worker_,
      [this]() -> asio::awaitable<std::optional<core::Result<std::size_t>>> {
        co_return validator_.crls().load_store();
      },
      asio::use_awaitable);
  if (*loaded)
    obs::log(*log, spdlog::level::info, "crl_cache_loaded", {{"crls", std::to_string(**loaded)}});
  else
    obs::log(*log, spdlog::level::warn, "crl_cache_load_failed", {{"error", loaded->error().code}});
  while (!stopping_) {
    auto outcomes = co_await asio::co_spawn(
        worker_,
        [this]() -> asio::awaitable<Outcomes> {
          co_return refresher_.run(std::chrono::system_clock::now());
        },
        asio::use_awaitable);
    report(outcomes);
    if (stopping_) break;
    timer_.expires_after(check_);
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) break;
  }
}

}  // namespace smimegw::app
