// directory: a user's certificates with their validity and the readiness verdict
// (certificate_service.hpp, "Readiness").
#include <algorithm>

#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

CertificateStatus status_of(const UserCertificate& c, const User& user, trust::Validator& validator,
                            std::chrono::system_clock::time_point now,
                            const CertificateServiceOptions& opt) {
  CertificateStatus s;
  s.certificate = c;
  s.days_left = std::chrono::floor<std::chrono::days>(c.not_after - now).count();
  s.expiring_soon = c.not_after > now && c.not_after - now < opt.expiry_warning;
  if (!c.has_private_key) s.warnings.push_back("no_private_key");
  if (!c.enabled) s.warnings.push_back("disabled");
  std::optional<Botan::X509_Certificate> cert;
  try {
    cert.emplace(std::vector<std::uint8_t>(c.der));
  } catch (const std::exception&) {
    s.errors.push_back("malformed_certificate");
    return s;
  }
  s.emails = trust::certificate_emails(*cert);
  if (!c.enabled) return s;
  auto check = [&](trust::Operation op) {
    trust::ValidationRequest req{*cert,         {}, now, op, user.address, user.proxy_addresses,
                                 opt.revocation};
    auto r = validator.validate(req);
    for (const auto& code : r.error_codes()) add_unique(s.errors, code);
    for (const auto& w : r.warnings) add_unique(s.warnings, w.code);
    return r.valid;
  };
  if (c.usage != CertUsage::encrypt) s.can_sign = check(trust::Operation::sign_with);
  if (c.usage != CertUsage::sign) s.can_encrypt = check(trust::Operation::encrypt_to);
  if (s.expiring_soon) add_unique(s.warnings, "expiring_soon");
  return s;
}

std::vector<CertificateStatus> statuses(const std::vector<UserCertificate>& certs, const User& user,
                                        trust::Validator& validator,
                                        std::chrono::system_clock::time_point now,
                                        const CertificateServiceOptions& opt) {
  std::vector<CertificateStatus> out;
  for (const auto& c : certs) out.push_back(status_of(c, user, validator, now, opt));
  return out;
}

}  // namespace

asio::awaitable<core::Result<UserReport>> CertificateService::report(std::string address) {
  auto user = co_await users_.find_by_address(address);
  if (!user) co_return user.error();
  if (!*user) co_return core::Error::make("not_found", "no user with address " + address);
  auto certs = co_await certs_.user_certificates((*user)->id);
  if (!certs) co_return certs.error();
  auto installed = co_await certs_.list_installed((*user)->id);
  if (!installed) co_return installed.error();
  UserReport r;
  r.user = std::move(**user);
  r.user.password_hash.clear();
  r.certificates = statuses(*certs, r.user, validator_, clock_.now(), options_);
  r.readiness = readiness_of(r.certificates);
  r.installed = std::move(*installed);
  co_return r;
}

}  // namespace smimegw::directory
