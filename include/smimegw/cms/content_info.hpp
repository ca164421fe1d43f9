// cms: ContentInfo (RFC 5652 §3), the outer wrapper of every CMS message, and the module overview.
//
// The cms module implements RFC 5652 SignedData/EnvelopedData, RFC 5083/5084 AuthEnvelopedData
// (AES-GCM), RFC 5753 ECDH key agreement and RFC 8551 algorithm choices on Botan 2.19 primitives.
// It has no MIME and no I/O: callers give contiguous byte spans and get DER back. Input may be BER
// (indefinite lengths, constructed OCTET STRINGs); output is always DER.
// Failure semantics: every public function returns core::Result; no exception (Botan, ASN.1,
// std::bad_alloc aside) leaves the module. Codes are listed in cms/errors.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "smimegw/cms/limits.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::cms {

/// A decoded ContentInfo. `content` points into the caller's buffer (the inner TLV, header
/// included), so it is valid only as long as that buffer.
struct ContentInfoView {
  std::string content_type;  ///< dotted OID
  std::span<const std::uint8_t> content;
};

/// Checks the whole input against `limits` (well-formed BER, depth, element count, lengths) and
/// splits off the content type. Errors: truncated, malformed, limit_exceeded.
core::Result<ContentInfoView> parse_content_info(std::span<const std::uint8_t> ber,
                                                 const Limits& limits = {});

/// DER ContentInfo around an already encoded inner value.
std::vector<std::uint8_t> encode_content_info(std::string_view content_type_oid,
                                              std::span<const std::uint8_t> inner_der);

/// Strips a PEM armour ("-----BEGIN CMS-----"/"PKCS7") if present; otherwise returns the input.
core::Result<std::vector<std::uint8_t>> pem_to_der(std::span<const std::uint8_t> maybe_pem);

}  // namespace smimegw::cms
