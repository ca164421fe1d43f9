// cms: the stable error codes every cms function returns in core::Error::code.
//
// Decoders never let a Botan or ASN.1 exception escape: each failure maps to exactly one of these.
#pragma once

#include <string_view>

namespace smimegw::cms::errc {

inline constexpr std::string_view kMalformed = "malformed";  ///< not valid BER/CMS structure
inline constexpr std::string_view kTruncated =
    "truncated";  ///< input ends before a declared length
inline constexpr std::string_view kLimitExceeded =
    "limit_exceeded";  ///< depth/count/size over cms::Limits
inline constexpr std::string_view kUnsupportedAlgorithm =
    "unsupported_algorithm";  ///< unknown/unsupported OID
inline constexpr std::string_view kUnsupportedContentType = "unsupported_content_type";
inline constexpr std::string_view kWeakAlgorithm =
    "weak_algorithm";  ///< SHA-1 signature not accepted by policy
inline constexpr std::string_view kBadSignature = "bad_signature";  ///< signature math failed
inline constexpr std::string_view kDigestMismatch =
    "digest_mismatch";  ///< messageDigest != hash(content)
inline constexpr std::string_view kContentTypeMismatch =
    "content_type_mismatch";  ///< contentType attr != eContentType
inline constexpr std::string_view kSignerCertMissing =
    "signer_cert_missing";  ///< no certificate matches the sid
inline constexpr std::string_view kMissingContent =
    "missing_content";  ///< detached signature, no content given
inline constexpr std::string_view kNoMatchingRecipient =
    "no_matching_recipient";  ///< no RecipientInfo for our key
inline constexpr std::string_view kDecryptFailed =
    "decrypt_failed";                                   ///< key unwrap or content decryption failed
inline constexpr std::string_view kBadTag = "bad_tag";  ///< AES-GCM authentication tag mismatch
inline constexpr std::string_view kKeyMismatch =
    "key_mismatch";  ///< private key type unusable for the operation
inline constexpr std::string_view kInvalidArgument =
    "invalid_argument";                                    ///< caller error (e.g. no signers)
inline constexpr std::string_view kInternal = "internal";  ///< unexpected library failure

}  // namespace smimegw::cms::errc
