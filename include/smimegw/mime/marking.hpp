// mime: visible label marking (issue 7): a header text at the top and/or a footer text at the
// bottom of every inline text/plain and text/html part, keeping each part's charset and
// Content-Transfer-Encoding. Parts under multipart/signed or application/pkcs7-mime are never
// touched: marking a message that is itself signed or encrypted fails with signed_content so the
// caller decides; a signed/encrypted part nested in a multipart is skipped (with a note).
#pragma once

#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mime {

struct Marking {
  std::string header;  ///< UTF-8 plain text; empty = none
  std::string footer;
};

struct MarkResult {
  std::string message;  ///< the whole marked message, canonical CRLF
  std::size_t parts_marked = 0;
  std::vector<std::string> notes;  ///< e.g. a part re-encoded as UTF-8 or switched to QP
};

core::Result<MarkResult> mark(const Message& msg, const Marking& marking);

}  // namespace smimegw::mime
