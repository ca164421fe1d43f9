// http/sync (private): POST /me/sendMail's JSON message (Graph's message resource) → an RFC 5322
// MIME message. Pure; unit-tested (tests/unit/http/sync_compose_test.cpp).
//
// Accepted fields: subject, body{contentType: text|html, content}, toRecipients, ccRecipients,
// bccRecipients ([{emailAddress:{address,name}}]), attachments ([{@odata.type:
// #microsoft.graph.fileAttachment, name, contentType, contentBytes (base64)}]),
// internetMessageHeaders ([{name: X-…, value}], custom X- headers only, as Graph).
// Limits: 500 recipients in all, 50 attachments, subject 998 bytes, names 256, addresses 254.
// Errors: validation_failed naming the field ("message.toRecipients[1].emailAddress.address: …").
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::http::sync {

struct Composed {
  std::string mime;                ///< CRLF line endings; From, Date, Message-ID, MIME-Version set
  std::vector<std::string> rcpts;  ///< To, Cc and Bcc addresses (Bcc not in the header)
};

/// What forward and reply add to a composed message.
struct ComposeExtras {
  std::string headers;  ///< complete "Name: value\r\n" lines (In-Reply-To, References)
  std::string rfc822;   ///< a message attached as message/rfc822 (forward); "" none
};

/// `from` is the sender's address; `now` Unix seconds (Date); `unique` makes the Message-ID.
core::Result<Composed> compose(const boost::json::object& message, const std::string& from,
                               std::int64_t now, const std::string& unique,
                               const ComposeExtras& extras = {});

/// RFC 2047 B-encoding of `text` when it is not plain printable ASCII; else `text`.
std::string encode_word(const std::string& text);

}  // namespace smimegw::http::sync
