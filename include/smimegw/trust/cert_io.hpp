// trust: reading certificates and CRLs from files and network answers: DER, PEM (a file may hold
// several objects, other PEM blocks are skipped) and PKCS#7/CMS certs-only (RFC 5652 §5,
// "degenerate" SignedData, DER or PEM). Bad input gives an error code, never an exception:
//   unreadable_input      cannot read the file
//   malformed_certificate / malformed_crl   no object could be decoded
#pragma once

#include <botan/x509_crl.h>
#include <botan/x509cert.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::trust {

/// Every certificate in `data` (DER certificate, PEM bundle, or PKCS#7 certs-only).
core::Result<std::vector<Botan::X509_Certificate>> parse_certificates(
    std::span<const std::uint8_t> data);
/// Every CRL in `data` (DER or PEM "X509 CRL" blocks).
core::Result<std::vector<std::vector<std::uint8_t>>> split_crls(std::span<const std::uint8_t> data);

core::Result<std::vector<Botan::X509_Certificate>> load_certificates(
    const std::filesystem::path& p);
core::Result<std::vector<std::vector<std::uint8_t>>> load_crls(const std::filesystem::path& p);

/// Self-signed: subject = issuer and its own key verifies its signature. Unlike Botan's
/// is_self_signed(), also true for a no-expiry root read with the stand-in time (the signature is
/// checked over the original encoding, cms::no_expiry_original).
bool self_signed(const Botan::X509_Certificate& cert);

/// Lower-case hex SHA-256 of the DER encoding (as issued, also for a no-expiry certificate).
std::string sha256_hex(const Botan::X509_Certificate& cert);

}  // namespace smimegw::trust
