// cms: the identifiers CMS uses to name a certificate (issuer + serial, subjectKeyIdentifier),
// read straight from the DER so that certificates Botan refuses (RFC 5280 §4.1.2.5's
// 99991231235959Z "no expiry", unusual extensions) can still be matched.
#pragma once

#include <botan/x509cert.h>

#include <cstdint>
#include <span>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::cms {

struct CertificateId {
  std::vector<std::uint8_t> issuer_der;      ///< raw issuer Name
  std::vector<std::uint8_t> serial;          ///< big-endian magnitude, no leading zeros
  std::vector<std::uint8_t> subject_key_id;  ///< empty when the extension is absent
};

/// Parses a DER certificate far enough to get its ids. Errors: malformed, truncated.
core::Result<CertificateId> certificate_id(std::span<const std::uint8_t> cert_der);
CertificateId certificate_id(const Botan::X509_Certificate& cert);

}  // namespace smimegw::cms
