// mime: canonical CRLF form (RFC 8551 §3.1.1) for signing and verification.
#pragma once

#include <string>
#include <string_view>

#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

/// Returns `bytes` with every bare LF turned into CRLF; existing CRLF and all other bytes are
/// kept. For CRLF input this is a byte-exact copy.
std::string canonical_crlf(std::string_view bytes);
/// The bytes a multipart/signed signature covers: its first child's entity as received,
/// canonicalised. Returns "" if `signed_part` has no children.
std::string signed_content(const Message& msg, const Part& signed_part);

}  // namespace smimegw::mime
