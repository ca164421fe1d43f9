// trust (private): small DER walks over extension values Botan 2.19 does not expose fully:
// every URI GeneralName ([6] IA5String) inside a value (CRL distribution points, IDP, AIA), and
// the issuingDistributionPoint fields. Malformed input ends the walk; nothing throws.
#pragma once

#include <botan/pkix_types.h>
#include <botan/x509cert.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/trust/crl_cache.hpp"

namespace smimegw::trust::detail {

/// URIs ([6] IMPLICIT IA5String) anywhere in `der`, in order.
std::vector<std::string> collect_uris(const std::vector<std::uint8_t>& der);

/// The raw extension value of `oid` (dotted) of a certificate, if present.
std::optional<std::vector<std::uint8_t>> extension_value(const Botan::X509_Certificate& cert,
                                                         const std::string& oid);

/// http URIs of the cRLDistributionPoints extension.
std::vector<std::string> crl_distribution_points(const Botan::X509_Certificate& cert);
/// http URIs of AIA caIssuers.
std::vector<std::string> ca_issuer_urls(const Botan::X509_Certificate& cert);
/// http URIs of AIA id-ad-ocsp (RFC 6960 §3.1).
std::vector<std::string> ocsp_urls(const Botan::X509_Certificate& cert);

/// Parses an IssuingDistributionPoint value.
CrlScope parse_idp(const std::vector<std::uint8_t>& der);

}  // namespace smimegw::trust::detail
