// mailbox (private): which parts of a parsed message are its body and which are attachments, the
// way Outlook/Graph present them:
//   - multipart/signed: only the signed content counts; the signature part is neither;
//   - the first inline text/plain and text/html (no file name, not Content-Disposition:
//     attachment) are the body alternatives;
//   - every other leaf is an attachment; message/rfc822 is one attachment (not descended into);
//     parts inside multipart/related or with Content-Disposition: inline are inline attachments
//     (they do not make hasAttachments true, as in Graph), and so is a further unnamed inline text
//     part;
//   - an opaque application/pkcs7-mime entity (not decrypted here) is an attachment (smime.p7m).
#pragma once

#include <string>
#include <vector>

#include "smimegw/mime/message.hpp"

namespace smimegw::mailbox::detail {

struct AttachmentPart {
  const mime::Part* part = nullptr;
  bool is_inline = false;
};

struct Layout {
  const mime::Part* text = nullptr;  ///< first inline text/plain
  const mime::Part* html = nullptr;  ///< first inline text/html
  std::vector<AttachmentPart> attachments;
  bool has_attachments() const;  ///< any non-inline attachment
};

Layout layout(const mime::Message& msg);

/// The part's file name (Content-Disposition filename, else Content-Type name), "" when none.
std::string part_name(const mime::Part& p);

}  // namespace smimegw::mailbox::detail
