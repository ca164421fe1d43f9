// app: the sync API's service (http/sync/services.hpp) over the gateway: sync tokens in api_tokens
// (kind sync, hashed, expiring), the mailbox (delta through mailbox::Service, reads from the
// mailbox store with the S/MIME status, label and sealed flag of migration 0011), the policy
// store (label catalog: names, rights, content expiry; the user's S/MIME settings), the gateway
// key (sealed mail is unsealed for its owner while S/MIME is on), the submission intake with
// source "api" (sendMail) and the certificate store.
//
// Blocking work runs on `worker`: Argon2id checks, policy store calls, CMS decryption.
// Files: sync_services.cpp (tokens, settings, certificates), sync_mail.cpp (mail reads),
// sync_send.cpp (sendMail).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>
#include <functional>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/message_sink.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/http/api_token_store.hpp"
#include "smimegw/http/sync/services.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/policy/policy_store.hpp"

namespace smimegw::app {

/// Every gateway key, active first (directory::GatewayKeyService::all of the composition root).
using GatewayKeys = std::function<boost::asio::awaitable<
    core::Result<std::vector<std::shared_ptr<const directory::GatewayKey>>>>()>;

struct SyncDeps {
  boost::asio::thread_pool& worker;
  http::ApiTokenStore& tokens;
  directory::UserStore& users;
  mailbox::MailboxStore& mailbox;
  mailbox::Service& mail;
  policy::PolicyStore& policy;
  GatewayKeys gateway_keys;  ///< empty: sealed mail cannot be opened
  core::MessageSink& sink;   ///< the intake with source "api"
  directory::CertificateStore& certificates;
  const core::Clock& clock;
  std::int64_t token_lifetime_s = 3600;
  std::string tenant_id;  ///< organization.tenant_id (msip_labels SiteId)
};

class SyncServices final : public http::sync::Service {
 public:
  explicit SyncServices(SyncDeps deps) : d_(deps) {}

  boost::asio::awaitable<core::Result<http::sync::TokenGrant>> grant(std::string username,
                                                                     std::string password) override;
  boost::asio::awaitable<core::Status> revoke(std::string user, std::string token) override;

  boost::asio::awaitable<core::Result<http::sync::DeltaResult>> delta(
      std::string user, std::string folder, std::optional<std::string> token,
      std::optional<int> page_size) override;
  boost::asio::awaitable<core::Result<boost::json::object>> message(std::string user,
                                                                    std::string id, bool headers,
                                                                    bool text) override;
  boost::asio::awaitable<core::Result<std::string>> mime(std::string user, std::string id) override;
  boost::asio::awaitable<core::Result<boost::json::array>> attachments(std::string user,
                                                                       std::string id) override;
  boost::asio::awaitable<core::Result<http::sync::AttachmentBytes>> attachment(
      std::string user, std::string id, std::string attachment_id) override;

  boost::asio::awaitable<core::Result<boost::json::object>> settings(std::string user) override;
  boost::asio::awaitable<core::Result<boost::json::object>> patch_settings(
      std::string user, boost::json::object patch) override;

  boost::asio::awaitable<core::Status> send(std::string user,
                                            http::sync::SendRequest request) override;

  boost::asio::awaitable<core::Result<boost::json::array>> certificates(std::string user) override;
  boost::asio::awaitable<core::Status> remove_certificate(std::string user,
                                                          std::string id) override;

  /// A message opened for its owner: the stored row, the MIME to show (unsealed when allowed)
  /// and the label from the catalog.
  struct Opened {
    mailbox::StoredMessage row;
    std::string mime;
    std::optional<policy::Label> label;
  };

 private:
  boost::asio::awaitable<core::Result<Opened>> open(std::string user, std::string id);
  /// The user's settings row (nullopt: none stored) and the organisation's settings.
  struct UserPolicy {
    policy::SmimeSettings org;
    std::optional<policy::UserSmimeSettings> user;
    bool smime_enabled() const { return !user || user->smime_enabled; }
  };
  boost::asio::awaitable<core::Result<UserPolicy>> user_policy(std::string user);
  boost::asio::awaitable<core::Result<policy::Catalog>> catalog();
  boost::asio::awaitable<core::Result<std::string>> unseal(std::string sealed);

  SyncDeps d_;
};

/// The label with `id` in `catalog`, if any.
std::optional<policy::Label> find_label(const policy::Catalog& catalog, const std::string& id);
/// Graph rights object of a label (every right true without a protected label).
boost::json::object rights_json(const std::optional<policy::Label>& label);
/// True when the label's content expiry has passed for a message received at `received_at`.
bool content_expired(const policy::Label& label, std::int64_t received_at, std::int64_t now);

}  // namespace smimegw::app
