// smime: trust::Validator as the inspect() chain hook (trust_check.hpp).
#include "smimegw/smime/trust_check.hpp"

#include <memory>

namespace smimegw::smime {

ChainCheck trust_chain_check(trust::Validator& validator, TrustCheckOptions options) {
  auto o = std::make_shared<const TrustCheckOptions>(std::move(options));
  return [&validator, o](const Botan::X509_Certificate& signer,
                         const std::vector<Botan::X509_Certificate>& carried) {
    trust::ValidationRequest req;
    req.certificate = signer;
    req.extra_certificates = carried;
    req.extra_certificates.insert(req.extra_certificates.end(), o->untrusted.begin(),
                                  o->untrusted.end());
    req.at = o->at;
    req.operation = trust::Operation::verify_signature;
    req.revocation = o->revocation;
    auto r = validator.validate(req);
    std::vector<core::Error> errors;
    for (const auto& code : r.error_codes())
      for (const auto& f : r.errors)
        if (f.code == code) {
          errors.push_back(core::Error::make(f.code, f.message));
          break;
        }
    if (o->observe) o->observe(signer, std::move(r));
    return errors;
  };
}

}  // namespace smimegw::smime
