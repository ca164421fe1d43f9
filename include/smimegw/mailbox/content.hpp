// mailbox: what a stored MIME message shows through the sync API — the summary fields, the body
// (text/html alternative decoded to UTF-8), attachments, and the header list. Reads a parsed
// mime::Message; never modifies it. Body/attachment classification: src/mailbox/layout.hpp.
// All strings are valid UTF-8 (invalid bytes become U+FFFD). Bounded by the mime Limits of the
// parse and by SummaryLimits.
#pragma once

#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/mailbox/message.hpp"
#include "smimegw/mime/message.hpp"

namespace smimegw::mailbox {

struct SummaryLimits {
  std::size_t preview_chars = 255;   ///< Graph's bodyPreview length
  std::size_t max_recipients = 500;  ///< per list (to, cc)
  /// The message was cut (only its head was read): a body part reaching the end of the buffer is
  /// cut back to its last complete line before decoding.
  bool truncated = false;
};

/// Subject, from, to, cc, sentDateTime, hasAttachments, internetMessageId, bodyPreview of `msg`
/// (id, folder, receivedDateTime and size are the caller's).
Summary summarize(const mime::Message& msg, const SummaryLimits& limits = {});

enum class BodyPreference { Html, Text };

/// The body: the preferred alternative when present, else the other one (HTML turned into text
/// when Text is preferred and only HTML exists); an empty text body when there is none (e.g. an
/// encrypted message: its smime.p7m is an attachment).
Body extract_body(const mime::Message& msg, BodyPreference prefer = BodyPreference::Html);

/// The attachments in document order (ids from ids.hpp, by ordinal).
std::vector<Attachment> list_attachments(const mime::Message& msg);

/// One attachment's decoded bytes; `not_found` for an unknown id.
core::Result<AttachmentContent> attachment_content(const mime::Message& msg,
                                                   std::string_view attachment_id);

/// The top-level header fields, unfolded (Graph internetMessageHeaders).
std::vector<InternetHeader> internet_headers(const mime::Message& msg);

}  // namespace smimegw::mailbox
