// app: certificates an administrator pushes to a user (http/admin/directory_services.hpp,
// UserCertificates).
//
// A PKCS#12 goes through directory::CertificateService::import_pkcs12, the import `smimegw users
// import-pkcs12` runs (address match, S/MIME usage, key match, trust validation unless forced,
// keys wrapped by the key vault, audit row). A certificate alone (PEM or DER) is checked the same
// way without the key steps and stored with source "import". Both run on the admin worker thread:
// validation may fetch CRLs. After a PKCS#12 push the user is mailed (admin_notify.hpp) when the
// request asks for it or admin.push_notification says so; a failure to queue that mail is a
// warning in the answer, not a failure of the push.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <memory>

#include "smimegw/config/config.hpp"
#include "smimegw/core/clock.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/http/admin/services.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::app {

struct AdminCertificateDeps {
  const config::Config& cfg;
  db::Pool& pool;
  directory::UserStore& user_store;
  http::admin::Users& users;  ///< resolves ids and addresses
  trust::Validator& validator;
  const directory::KeyVault* vault;  ///< null: PKCS#12 pushes fail with kek_missing
  transport::QueueStore& queue;      ///< the notification mail
  std::function<void()> wake;        ///< after queueing it (wakes the delivery workers)
  boost::asio::thread_pool& worker;
};

class AdminCertificates final : public http::admin::UserCertificates {
 public:
  explicit AdminCertificates(AdminCertificateDeps deps);
  boost::asio::awaitable<core::Result<http::admin::PushResult>> push(
      http::admin::CertificatePush push) override;
  boost::asio::awaitable<core::Status> remove(std::string user, std::int64_t certificate_id,
                                              std::string actor) override;

 private:
  using Imported = std::vector<directory::ImportedCertificate>;
  boost::asio::awaitable<core::Result<Imported>> import_pkcs12(http::admin::UserView user,
                                                               http::admin::CertificatePush p);
  boost::asio::awaitable<core::Result<Imported>> import_certificate(http::admin::UserView user,
                                                                    http::admin::CertificatePush p);
  boost::asio::awaitable<std::string> notify(
      const http::admin::UserView& user, const std::vector<http::admin::UserCertificateView>& c);

  AdminCertificateDeps d_;
  core::SystemClock clock_;
  db::PgCertificateStore certs_;
  std::unique_ptr<directory::CertificateService> service_;
  trust::RevocationMode revocation_;
};

}  // namespace smimegw::app
