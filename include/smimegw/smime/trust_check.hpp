// smime: the trust service as inspect()'s chain hook — each signer certificate of a received
// message is validated by trust::Validator for verify-signature (chain, validity, revocation, key
// usage and EKU; the From: address is compared by inspect() itself: address_mismatch). Used by
// `smimegw smime verify --trust/--db` and by inbound transport processing.
#pragma once

#include <botan/x509cert.h>

#include <chrono>
#include <functional>
#include <vector>

#include "smimegw/smime/inspect.hpp"
#include "smimegw/trust/validation.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::smime {

struct TrustCheckOptions {
  std::chrono::system_clock::time_point at;  ///< validation time
  trust::RevocationMode revocation = trust::RevocationMode::require;
  std::vector<Botan::X509_Certificate> untrusted;  ///< further intermediates (CLI --untrusted)
  /// Called with every full validation result (e.g. for a JSON report); may be empty.
  std::function<void(const Botan::X509_Certificate& signer, trust::ValidationResult result)>
      observe;
};

/// A ChainCheck that validates through `validator` (blocking: it may fetch CRLs). The signer's
/// errors are the validation's error codes, in order, without repeats. `validator` must outlive
/// the returned function.
ChainCheck trust_chain_check(trust::Validator& validator, TrustCheckOptions options);

}  // namespace smimegw::smime
