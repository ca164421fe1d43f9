// app: administrator certificate pushes (admin_certificates.hpp).
#include "admin_certificates.hpp"

#include <botan/data_src.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "admin_notify.hpp"
#include "directory_setup.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using namespace http::admin;
using Imported = std::vector<directory::ImportedCertificate>;

namespace {

std::vector<trust::Operation> operations(directory::CertUsage u) {
  if (u == directory::CertUsage::sign) return {trust::Operation::sign_with};
  if (u == directory::CertUsage::encrypt) return {trust::Operation::encrypt_to};
  return {trust::Operation::sign_with, trust::Operation::encrypt_to};
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

struct Prepared {
  directory::NewUserCertificate row;
  directory::ImportedCertificate info;
};

// The checks of the PKCS#12 import (certificate_service.hpp, "Import") minus the key steps.
core::Result<Prepared> prepare(const UserView& u, const std::vector<std::uint8_t>& bytes,
                               trust::Validator& validator, trust::RevocationMode mode,
                               std::chrono::system_clock::time_point now, bool force) {
  std::optional<Botan::X509_Certificate> parsed;
  try {
    Botan::DataSource_Memory src(bytes.data(), bytes.size());
    parsed.emplace(src);
  } catch (const std::exception&) {
    return core::Error::make("malformed_certificate",
                             "certificate: not a PEM or DER X.509 certificate");
  }
  const auto& cert = *parsed;
  auto der = cert.BER_encode();
  auto thumb = directory::thumbprint_of(der);
  std::vector<std::string> addresses{u.address};
  addresses.insert(addresses.end(), u.proxy_addresses.begin(), u.proxy_addresses.end());
  auto emails = trust::certificate_emails(cert);
  bool match = false;
  for (const auto& m : emails)
    for (const auto& a : addresses) match = match || trust::same_address(m, a);
  if (!match)
    return core::Error::make(
        "address_mismatch", "certificate " + thumb + " is issued to " +
                                (emails.empty() ? std::string("no e-mail address") : join(emails)) +
                                ", which is not an address of " + u.address);
  auto usage = directory::derive_usage(cert);
  if (!usage)
    return core::Error::make("no_smime_usage",
                             "certificate " + thumb + " allows neither signing nor encryption");
  std::vector<std::string> codes;
  for (auto op : operations(*usage)) {
    trust::ValidationRequest req{cert, {}, now, op, u.address, u.proxy_addresses, mode};
    for (const auto& c : validator.validate(req).error_codes())
      if (std::find(codes.begin(), codes.end(), c) == codes.end()) codes.push_back(c);
  }
  if (!codes.empty() && !force)
    return core::Error::make("untrusted", "certificate " + thumb + " fails validation (" +
                                              directory::to_string(*usage) + "): " + join(codes) +
                                              "; \"force\": true stores it anyway (recorded)");
  Prepared p;
  p.row.user_id = u.id;
  p.row.der.assign(der.begin(), der.end());
  p.row.thumbprint = thumb;
  p.row.usage = *usage;
  p.row.not_before = cert.not_before().to_std_timepoint();
  p.row.not_after = cert.not_after().to_std_timepoint();
  p.row.source = "import";
  p.row.forced = !codes.empty();
  p.info = {0, thumb, *usage, p.row.forced, codes};
  return p;
}

std::string audit_detail(const directory::ImportedCertificate& i) {
  std::string codes;
  for (const auto& c : i.codes) codes += (codes.empty() ? "\"" : ",\"") + c + "\"";
  return "{\"thumbprint\":\"" + i.thumbprint + "\",\"usage\":\"" + directory::to_string(i.usage) +
         "\",\"source\":\"import\",\"forced\":" + (i.forced ? "true" : "false") + ",\"codes\":[" +
         codes + "]}";
}

}  // namespace

AdminCertificates::AdminCertificates(AdminCertificateDeps deps)
    : d_(std::move(deps)),
      certs_(d_.pool),
      service_(std::make_unique<directory::CertificateService>(
          d_.user_store, certs_, d_.validator, d_.vault, clock_,
          certificate_service_options(d_.cfg))),
      revocation_(certificate_service_options(d_.cfg).revocation) {}

asio::awaitable<core::Result<Imported>> AdminCertificates::import_pkcs12(UserView user,
                                                                         CertificatePush p) {
  co_return co_await service_->import_pkcs12(user.address, std::move(p.pkcs12),
                                             std::move(p.password), p.force, p.actor);
}

asio::awaitable<core::Result<Imported>> AdminCertificates::import_certificate(UserView user,
                                                                              CertificatePush p) {
  auto prepared = prepare(user, p.certificate, d_.validator, revocation_, clock_.now(), p.force);
  if (!prepared) co_return prepared.error();
  directory::AuditEntry audit{
      p.actor, prepared->info.forced ? "user_certificate.import_forced" : "user_certificate.import",
      user.address, audit_detail(prepared->info)};
  std::vector<directory::NewUserCertificate> rows{prepared->row};
  std::vector<directory::AuditEntry> audits{audit};
  auto ids = co_await certs_.add_user_certificates(std::move(rows), std::move(audits));
  if (!ids) co_return ids.error();
  prepared->info.id = ids->front();
  co_return Imported{prepared->info};
}

asio::awaitable<std::string> AdminCertificates::notify(const UserView& user,
                                                       const std::vector<UserCertificateView>& c) {
  auto msg = push_notification(d_.cfg, user.address, c);
  std::string queue_id = msg.queue_id;
  auto st = co_await d_.queue.enqueue(std::move(msg));
  auto log = obs::logger("app");
  if (!st) {
    obs::log(*log, spdlog::level::warn, "push_notification_failed",
             {{"user", user.address}, {"error", st.error().code}});
    co_return "notification_failed: " + st.error().code;
  }
  obs::log(*log, spdlog::level::info, "push_notification_queued",
           {{"queue_id", queue_id}, {"user", user.address}});
  if (d_.wake) d_.wake();
  co_return std::string();
}

asio::awaitable<core::Result<PushResult>> AdminCertificates::push(CertificatePush push) {
  auto user = co_await d_.users.get(push.user);
  if (!user) co_return user.error();
  const bool pkcs12 = !push.pkcs12.empty();
  const bool notify_user = pkcs12 && push.notify.value_or(d_.cfg.admin.push_notification);
  // Validation may fetch CRLs: the whole import runs on the worker thread.
  auto job =
      [this, u = *user,
       p = std::move(push)]() mutable -> asio::awaitable<std::optional<core::Result<Imported>>> {
    if (!p.pkcs12.empty()) co_return co_await import_pkcs12(std::move(u), std::move(p));
    co_return co_await import_certificate(std::move(u), std::move(p));
  };
  auto imported = co_await asio::co_spawn(d_.worker, std::move(job), asio::use_awaitable);
  if (!*imported) co_return imported->error();
  auto all = co_await certs_.user_certificates(user->id);
  if (!all) co_return all.error();
  PushResult out;
  for (const auto& i : **imported) {
    for (const auto& c : *all)
      if (c.id == i.id)
        out.certificates.push_back({c.id, c.thumbprint, directory::to_string(c.usage), c.not_before,
                                    c.not_after, c.source, c.has_private_key, c.enabled});
    if (i.forced) out.warnings.push_back("forced " + i.thumbprint + ": " + join(i.codes));
  }
  if (notify_user) {
    auto warning = co_await notify(*user, out.certificates);
    if (!warning.empty()) out.warnings.push_back(warning);
  }
  co_return out;
}

asio::awaitable<core::Status> AdminCertificates::remove(std::string user,
                                                        std::int64_t certificate_id,
                                                        std::string actor) {
  auto u = co_await d_.users.get(std::move(user));
  if (!u) co_return u.error();
  auto all = co_await certs_.user_certificates(u->id);
  if (!all) co_return all.error();
  std::string thumbprint;
  for (const auto& c : *all)
    if (c.id == certificate_id) thumbprint = c.thumbprint;
  if (thumbprint.empty())
    co_return core::Error::make("not_found", "user " + u->address + " has no certificate " +
                                                 std::to_string(certificate_id));
  directory::AuditEntry audit{std::move(actor), "user_certificate.delete", u->address,
                              "{\"thumbprint\":\"" + thumbprint + "\"}"};
  co_return co_await certs_.remove_user_certificate(u->id, thumbprint, std::move(audit));
}

}  // namespace smimegw::app
