// trust: splitting a certificate file into certificates, for the virtual certificate collection.
//
// Formats recognised (by content, never by file name):
//   - PEM: any number of blocks; CERTIFICATE / X509 CERTIFICATE / TRUSTED CERTIFICATE are
//     certificates, PKCS7 / CMS blocks are read as PKCS#7 certs-only, any other block (a private
//     key, a CRL) becomes an item with status not_certificate.
//   - DER certificate.
//   - PKCS#7 / CMS SignedData "certs-only" (RFC 5652 §5, RFC 8551 §3.2.2; .p7b/.p7c), DER or BER.
//     This is also what `Export-Certificate -Type SST` writes, so most .sst files are read here.
//   - Microsoft serialized certificate store (.sst, CERT_STORE_SAVE_AS_STORE): the 8-byte header
//     00 00 00 00 'C' 'E' 'R' 'T', then elements {propId u32le, 1 u32le, length u32le, bytes};
//     property 0x20 (CERT_CERT_PROP_ID) is an encoded certificate and ends one certificate's
//     properties, 0x21/0x22 (CRL/CTL) become not_certificate items, other properties (friendly
//     name, hashes, key identifiers) are skipped, and an element with propId 0 ends the store
//     (the 12-byte EndElementMarkerEntry; accepted when missing at the end of the file). The
//     layout is [MS-OSHARED] "Serialized digital certificate store" (fileType 0x54524543,
//     SerializedPropertyEntry with encodingType 1), also read by Wine's crypt32.
// Failure semantics: a file none of these formats explains, or whose structure is broken
// (truncated PEM, bad base64, SignedData that isn't, an element overrunning the file) is the
// Error `malformed`; a file that is well-formed but holds no certificate is `no_certificates`;
// over the limits is `too_large`. A single entry that the format carries but that is not a
// certificate is an item, not an error: the caller reports every item.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::trust {

struct ImportLimits {
  std::size_t max_input_bytes = 16u * 1024 * 1024;
  std::size_t max_items = 4096;
};

/// One entry of a file: normally a certificate's DER; `not_certificate` explains an entry that
/// is something else (a key, a CRL, an attribute certificate).
struct ExtractedItem {
  std::vector<std::uint8_t> der;
  std::string not_certificate;  ///< empty for a certificate candidate
  std::string problem;          ///< set when the entry could not be decoded (e.g. bad base64)
  std::string origin;           ///< e.g. "PEM block 2", "PKCS#7 certificate 1", "SST element 3"
};

struct Extracted {
  std::string format;  ///< "pem", "der", "pkcs7", "sst"
  std::vector<ExtractedItem> items;
};

/// Splits `bytes` into items; see the header comment for formats and error codes.
core::Result<Extracted> extract_certificates(std::span<const std::uint8_t> bytes,
                                             const ImportLimits& limits = {});

/// The certificates of a DER/BER ContentInfo(SignedData) (certs-only or not).
core::Result<std::vector<ExtractedItem>> extract_pkcs7(std::span<const std::uint8_t> der,
                                                       const ImportLimits& limits = {});

/// The entries of a serialized certificate store (must start with the 'CERT' header).
core::Result<std::vector<ExtractedItem>> extract_serialized_store(
    std::span<const std::uint8_t> bytes, const ImportLimits& limits = {});

}  // namespace smimegw::trust
