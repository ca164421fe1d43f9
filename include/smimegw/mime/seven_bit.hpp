// mime: 7-bit conversion before signing (RFC 8551 §3.1.2: data that is not 7-bit must be
// transfer-encoded before it is signed, or a relay may alter it and break the signature).
#pragma once

#include <string>

#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

struct SevenBitResult {
  std::string entity;         ///< the whole input, canonical CRLF, every leaf 7-bit safe
  std::size_t converted = 0;  ///< leaves re-encoded
};

/// Re-encodes every 7bit/8bit/binary leaf whose body is not 7-bit safe (8-bit bytes, NUL, bare CR,
/// lines over 998): text as quoted-printable (base64 if it holds NUL/bare CR), the rest as base64.
/// Recurses into multiparts and message/rfc822; leaves signed/encrypted subtrees alone.
SevenBitResult to_7bit(const Message& msg);
/// True when to_7bit() would convert nothing (every leaf it would touch is already 7-bit safe).
/// A scan without copies: callers check it first and keep their bytes when it holds.
bool is_7bit(const Message& msg);

}  // namespace smimegw::mime
