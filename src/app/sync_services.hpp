// app: the sync API's service (http/sync/services.hpp) over the gateway: sync tokens in api_tokens
// (kind sync, hashed, expiring), the mailbox (delta through mailbox::Service, reads from the
// mailbox store with the S/MIME status, label and sealed flag of migration 0011), the policy
// store (label catalog: names, rights, content expiry; the user's S/MIME settings), the gateway
// key (sealed mail is unsealed for its owner while S/MIME is on), the submission intake with
// source "api" (sendMail) and the certificate store.
//
// Blocking work runs on `worker`: Argon2id checks, policy store calls, CMS decryption, trust
// validation and PKCS#12 import/export.
// Files: sync_services.cpp (tokens, settings), sync_mail.cpp (mail reads), sync_send.cpp
// (sendMail), sync_answer.cpp (forward/reply rights), sync_certificates.cpp (list, import,
// install from attachment or signer), sync_resolve.cpp (resolveRecipients), sync_devices.cpp.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <mutex>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/message_sink.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/gateway_key.hpp"
#include "smimegw/directory/group_store.hpp"
#include "smimegw/directory/resolver.hpp"
#include "smimegw/directory/user_store.hpp"
#include "smimegw/http/api_token_store.hpp"
#include "smimegw/http/sync/services.hpp"
#include "smimegw/http/sync_device_store.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/policy/policy_store.hpp"
#include "smimegw/trust/validator.hpp"

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
  http::sync::DeviceStore& devices;
  /// The gateway's directory services; null (no trust service wired): the routes needing them
  /// answer 503 directory_unavailable.
  directory::CertificateService* certificate_service = nullptr;  ///< import, export
  directory::Resolver* resolver = nullptr;
  directory::GroupStore* groups = nullptr;
  trust::Validator* validator = nullptr;
  trust::RevocationMode revocation = trust::RevocationMode::require;
  bool allow_user_trusted = false;  ///< sync.allow_user_trusted_certificates
  std::vector<std::string> accepted_domains;
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
  boost::asio::awaitable<core::Result<boost::json::array>> import_pkcs12(
      std::string user, std::string pfx, std::string password) override;
  boost::asio::awaitable<core::Result<boost::json::array>> install_attachment(
      std::string user, std::string id, std::string attachment_id, std::string password) override;
  boost::asio::awaitable<core::Result<boost::json::object>> install_sender(std::string user,
                                                                           std::string id,
                                                                           bool trust) override;

  boost::asio::awaitable<core::Result<http::sync::Original>> original(
      std::string user, std::string id, http::sync::Answer answer) override;

  boost::asio::awaitable<core::Result<boost::json::array>> resolve_recipients(
      std::string user, std::vector<std::string> addresses) override;

  boost::asio::awaitable<core::Result<boost::json::array>> devices(std::string user) override;
  boost::asio::awaitable<core::Result<boost::json::object>> enrol_device(std::string user,
                                                                         std::string device_id,
                                                                         std::string name) override;
  boost::asio::awaitable<core::Result<http::sync::Pkcs12Delivery>> deliver(
      std::string user, std::string id, std::string password) override;
  boost::asio::awaitable<core::Status> remove_device(std::string user, std::string id) override;

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
    /// S/MIME is off until the user turns it on (PATCH /me/settings {"smimeEnabled": true}).
    bool smime_enabled() const { return user && user->smime_enabled; }
  };
  boost::asio::awaitable<core::Result<UserPolicy>> user_policy(std::string user);
  boost::asio::awaitable<core::Result<policy::Catalog>> catalog();
  /// The label catalog and the organisation's settings, reloaded only when the policy store's
  /// generation has moved (one small query per call instead of five). Blocks: call on the worker.
  struct OrgPolicy {
    std::int64_t generation = -1;
    policy::Catalog catalog;
    policy::SmimeSettings settings;
  };
  core::Result<std::shared_ptr<const OrgPolicy>> org_policy();
  boost::asio::awaitable<core::Result<std::string>> unseal(std::string sealed);
  /// The caller as a directory user (not_found when the token's user is gone).
  boost::asio::awaitable<core::Result<directory::User>> me(std::string user);
  /// The PKCS#12 import for `user` on the worker; returns certificates() of the imported ones.
  boost::asio::awaitable<core::Result<boost::json::array>> import_for(std::string user,
                                                                      std::string pfx,
                                                                      std::string password);

  SyncDeps d_;
  std::mutex org_mu_;
  std::shared_ptr<const OrgPolicy> org_;  ///< last loaded (null: not yet)
};

/// `task` as an optional (co_spawn needs a default-constructible result).
template <class T>
boost::asio::awaitable<std::optional<T>> optional_of(boost::asio::awaitable<T> task) {
  co_return co_await std::move(task);
}

/// Runs coroutine `task` on `worker` (it blocks: trust validation, key derivation) and resumes
/// on the caller's executor. Name the task before co_awaiting this (no temporaries in the call).
template <class T>
boost::asio::awaitable<T> on_worker(boost::asio::thread_pool& worker,
                                    boost::asio::awaitable<T> task) {
  auto r = co_await boost::asio::co_spawn(worker, optional_of(std::move(task)),
                                          boost::asio::use_awaitable);
  co_return std::move(*r);
}

/// The label with `id` in `catalog`, if any.
std::optional<policy::Label> find_label(const policy::Catalog& catalog, const std::string& id);
/// Graph rights object of a label (every right true without a protected label).
boost::json::object rights_json(const std::optional<policy::Label>& label);
/// The certificates of `user` as GET /me/certificates lists them: own (GAL) certificates with
/// kind "own", then installed contact certificates with kind "contact".
boost::json::object own_certificate_json(const directory::UserCertificate& c,
                                         std::chrono::system_clock::time_point now);
boost::json::object contact_certificate_json(const directory::InstalledCertificate& c,
                                             std::chrono::system_clock::time_point now);
/// True when the label's content expiry has passed for a message received at `received_at`.
bool content_expired(const policy::Label& label, std::int64_t received_at, std::int64_t now);

}  // namespace smimegw::app
