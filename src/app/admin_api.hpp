// app: the admin listener of `serve` (admin.listen): /healthz, /readyz, /metrics and /admin/v1.
//
// HTTPS when admin.tls.certificate_file and admin.tls.key_file are set (Botan TLS 1.2 through
// net::TlsStream). Without them the listener speaks plain HTTP, which listen() allows only on a
// loopback address (127.0.0.0/8, ::1, localhost) unless admin.allow_insecure_http is true: bearer
// tokens must not cross a network in clear text by accident. Tokens come from the api_tokens
// table (`smimegw admin token create`) and from admin.tokens_file; each caller is rate limited
// (admin.rate_limit_per_s, admin.rate_limit_burst). Start-up errors (unreadable certificate or
// tokens file, plain HTTP on a public address, address in use) name the config key.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>

#include "smimegw/config/config.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/db/pool.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/http/router.hpp"
#include "smimegw/obs/health.hpp"
#include "smimegw/obs/metrics.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::app {

class TrustService;

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

class AdminApi {
 public:
  /// `vault` may be null (certificate pushes with a key then fail with kek_missing); `wake` is
  /// called after the API queued a message (the push notification).
  AdminApi(boost::asio::io_context& io, const config::Config& cfg, db::Pool& pool,
           obs::Metrics& metrics, const obs::Health& health, transport::QueueStore& queue,
           directory::UserStore& users, TrustService& trust, const directory::KeyVault* vault,
           std::function<void()> wake);
  ~AdminApi();
  /// Loads credentials and binds admin.listen.
  core::Status listen();
  void start();
  void stop();
  int active() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smimegw::app
