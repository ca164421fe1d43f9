// smime: the stable error codes this module adds (core::Error::code). Codes from cms (e.g.
// bad_signature, digest_mismatch, weak_algorithm, no_matching_recipient, decrypt_failed, bad_tag,
// malformed, truncated) and mime (bad_base64, message_too_large, ...) are passed through unchanged.
#pragma once

#include <string_view>

namespace smimegw::smime::errc {

inline constexpr std::string_view kNotSmime =
    "not_smime";  ///< no S/MIME layer where one is required
inline constexpr std::string_view kNotSigned = "not_signed";  ///< verify: no signature layer at all
inline constexpr std::string_view kNotEncrypted =
    "not_encrypted";  ///< decrypt: top level is not enveloped
inline constexpr std::string_view kNoDecryptionKey =
    "no_decryption_key";  ///< encrypted layer, no key given
inline constexpr std::string_view kBadSignedStructure =
    "bad_multipart_signed";  ///< not 2 parts / wrong protocol part
inline constexpr std::string_view kWrongSmimeType =
    "wrong_smime_type";  ///< smime-type disagrees with the CMS type
inline constexpr std::string_view kTooManyLayers =
    "too_many_layers";  ///< nesting over InspectOptions::max_layers
inline constexpr std::string_view kAddressMismatch =
    "address_mismatch";  ///< From: not in the signer certificate
inline constexpr std::string_view kUntrusted = "untrusted";  ///< chain check (callback) failed
inline constexpr std::string_view kMicalgMismatch = "micalg_mismatch";  ///< warning only
inline constexpr std::string_view kInvalidArgument = "invalid_argument";

}  // namespace smimegw::smime::errc
