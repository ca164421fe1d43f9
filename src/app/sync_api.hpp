// app: the sync listener of `serve` (sync.listen): the Graph-style sync API /v1.0 for mobile
// clients (http/sync/routes.hpp) plus /healthz.
//
// HTTPS when sync.tls.certificate_file and sync.tls.key_file are set (Botan TLS through
// net::TlsStream); plain HTTP only on a loopback address unless sync.allow_insecure_http (bearer
// tokens and passwords must not cross a network in clear text by accident). Tokens are kind
// "sync" rows of api_tokens issued by POST /v1.0/oauth2/token; each caller is rate limited
// (admin.rate_limit_per_s / admin.rate_limit_burst apply to this listener too). The delta-token
// key is derived from keys.kek_file (mailbox/token.hpp); without a readable KEK the listener still
// serves with a per-process token key (tokens die with the process: resyncRequired) and logs
// sync_kek_missing. Sealed mail is opened with the gateway key service the composition root
// hands over (set_gateway_keys); without one it answers 500 (unseal_failed, logged).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "smimegw/config/config.hpp"
#include "smimegw/core/message_sink.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/db/pool.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/http/router.hpp"
#include "smimegw/http/sync_user_store.hpp"
#include "smimegw/obs/health.hpp"
#include "smimegw/obs/metrics.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

/// The gateway's directory services the sync API borrows (certificate import/export, recipient
/// resolution, installing a sender's certificate). Every pointer must outlive the SyncApi.
struct SyncDirectory {
  trust::Validator* validator = nullptr;
  const directory::KeyVault* vault = nullptr;  ///< null: import and delivery answer kek_missing
  directory::Resolver* resolver = nullptr;
  directory::GroupStore* groups = nullptr;
};

class SyncApi {
 public:
  /// `sink` is the intake with source "api" (sendMail).
  SyncApi(boost::asio::io_context& io, const config::Config& cfg, db::Pool& pool,
          obs::Metrics& metrics, directory::UserStore& users, core::MessageSink& sink);
  ~SyncApi();
  /// The organisation's gateway keys, to unseal mail for its owner (call before listen()).
  /// E.g. [&svc] { return svc.all(); } over directory::GatewayKeyService.
  void set_gateway_keys(GatewayKeys keys);
  /// The directory services (call before listen()); without them the certificate, device and
  /// resolveRecipients routes answer 503.
  void set_directory(SyncDirectory directory);
  /// Loads the KEK and credentials and binds sync.listen.
  core::Status listen();
  void start();
  void stop();
  int active() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Sync tokens: a kind "sync" row of api_tokens whose user exists and is enabled. The principal's
/// name is the user's primary address.
class SyncAuthenticator final : public http::Authenticator {
 public:
  SyncAuthenticator(http::ApiTokenStore& tokens, http::SyncUserStore& users)
      : tokens_(tokens), users_(users) {}
  boost::asio::awaitable<core::Result<http::Principal>> authenticate(http::AuthKind kind,
                                                                     std::string token) override;

 private:
  http::ApiTokenStore& tokens_;
  http::SyncUserStore& users_;
};

}  // namespace smimegw::app
