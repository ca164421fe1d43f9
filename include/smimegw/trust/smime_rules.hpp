// trust: the S/MIME certificate rules of RFC 8550 §3 and §4.4 on top of path validation.
//  - e-mail addresses come from subjectAltName rfc822Name, else subject emailAddress;
//  - an address matches when the domain is equal ignoring case and the local part is equal ignoring
//    ASCII case (as Exchange compares proxy addresses; RFC 5321 would allow case-sensitive locals);
//  - signing needs keyUsage digitalSignature or nonRepudiation; encryption needs keyEncipherment
//  for
//    RSA keys and keyAgreement for EC keys; a missing keyUsage extension allows everything;
//  - an extendedKeyUsage, when present, must contain emailProtection or anyExtendedKeyUsage.
#pragma once

#include <botan/x509cert.h>

#include <optional>
#include <string>
#include <vector>

#include "smimegw/trust/validation.hpp"

namespace smimegw::trust {

/// The addresses of `cert` (SAN rfc822Name first, then subject emailAddress), as written.
std::vector<std::string> certificate_emails(const Botan::X509_Certificate& cert);

/// True when `a` and `b` are the same mailbox under the rule above.
bool same_address(std::string_view a, std::string_view b);

/// The usage findings (wrong_key_usage, wrong_eku, address_mismatch) of `cert` for `op`.
std::vector<Finding> check_smime_rules(const Botan::X509_Certificate& cert, Operation op,
                                       const std::optional<std::string>& address,
                                       const std::vector<std::string>& proxy_addresses);

}  // namespace smimegw::trust
