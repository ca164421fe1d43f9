// directory: thumbprints, usage derivation, harvest outcome names and the readiness rule
// (certificate_service.hpp).
#include <botan/hash.h>
#include <botan/hex.h>

#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::directory {

std::string thumbprint_of(std::span<const std::uint8_t> der) {
  auto h = Botan::HashFunction::create_or_throw("SHA-1");
  h->update(der.data(), der.size());
  return Botan::hex_encode(h->final(), true);
}

std::optional<CertUsage> derive_usage(const Botan::X509_Certificate& cert) {
  auto usable = [&](trust::Operation op) {
    for (const auto& f : trust::check_smime_rules(cert, op, std::nullopt, {}))
      if (f.code == "wrong_key_usage") return false;
    return true;
  };
  bool sign = usable(trust::Operation::sign_with);
  bool encrypt = usable(trust::Operation::encrypt_to);
  if (sign && encrypt) return CertUsage::both;
  if (sign) return CertUsage::sign;
  if (encrypt) return CertUsage::encrypt;
  return std::nullopt;
}

const char* to_string(HarvestOutcome outcome) {
  switch (outcome) {
    case HarvestOutcome::added:
      return "added";
    case HarvestOutcome::already_installed:
      return "already_installed";
    case HarvestOutcome::gal_user:
      return "gal_user";
    case HarvestOutcome::disabled:
      return "disabled";
    case HarvestOutcome::no_address:
      break;
  }
  return "no_address";
}

Readiness readiness_of(const std::vector<CertificateStatus>& certs) {
  Readiness r;
  for (const auto& s : certs) {
    if (!s.certificate.enabled) continue;
    r.can_sign = r.can_sign || s.can_sign;
    r.can_encrypt = r.can_encrypt || s.can_encrypt;
    if ((s.can_sign || s.can_encrypt) && s.expiring_soon)
      r.warnings.push_back("certificate " + s.certificate.thumbprint + " (" +
                           to_string(s.certificate.usage) + ") expires in " +
                           std::to_string(s.days_left) + " days");
  }
  r.ready = r.can_sign && r.can_encrypt;
  if (!r.can_sign && !r.can_encrypt)
    r.missing = "signing and encryption";
  else if (!r.can_sign)
    r.missing = "signing";
  else if (!r.can_encrypt)
    r.missing = "encryption";
  return r;
}

CertificateService::CertificateService(UserStore& users, CertificateStore& certs,
                                       trust::Validator& validator, const KeyVault* vault,
                                       const core::Clock& clock, CertificateServiceOptions options)
    : users_(users),
      certs_(certs),
      validator_(validator),
      vault_(vault),
      clock_(clock),
      options_(options) {}

}  // namespace smimegw::directory
