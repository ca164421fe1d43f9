// mime: RFC 8551 §3.1 layering. The outer message keeps the transport/RFC 5322 headers (From,
// To, Subject, Date, Message-ID, ...); the content headers (Content-*) move into the entity that
// gets signed or encrypted. wrap() puts a (new) content entity back under the outer headers.
#pragma once

#include <string>

#include "smimegw/core/result.hpp"
#include "smimegw/mime/header_block.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

struct SplitMessage {
  HeaderBlock outer;    ///< every top-level field except Content-* and MIME-Version (verbatim)
  std::string content;  ///< Content-* fields + CRLF + body, canonical CRLF
};

/// Splits a parsed message. A message without Content-Type gets
/// `Content-Type: text/plain; charset=us-ascii` in its content entity.
SplitMessage split_outer(const Message& msg);
/// Outer headers + `MIME-Version: 1.0` + the content entity (which begins with its own fields).
/// An outer field that the entity also carries (e.g. a protected Subject after decryption) is
/// dropped from the outer set: the entity's copy wins. The entity must be canonical CRLF.
std::string wrap_outer(const HeaderBlock& outer, std::string_view content_entity);

}  // namespace smimegw::mime
