// mime: the stable error codes this module returns (core::Error::code).
#pragma once

namespace smimegw::mime::errc {

inline constexpr const char* kMessageTooLarge = "message_too_large";
inline constexpr const char* kHeaderTooLong = "header_too_long";
inline constexpr const char* kTooManyHeaders = "too_many_headers";
inline constexpr const char* kMimeTooDeep = "mime_too_deep";
inline constexpr const char* kTooManyParts = "too_many_parts";
inline constexpr const char* kMalformedMime = "malformed_mime";
inline constexpr const char* kBadBase64 = "bad_base64";
inline constexpr const char* kUnknownCharset = "unknown_charset";
inline constexpr const char* kBadCharset = "bad_charset";  ///< bytes invalid in their charset
inline constexpr const char* kHeaderInjection = "header_injection";
inline constexpr const char* kBadHeaderName = "bad_header_name";
inline constexpr const char* kSignedContent = "signed_content";
inline constexpr const char* kUnsupportedEncoding = "unsupported_encoding";

}  // namespace smimegw::mime::errc
