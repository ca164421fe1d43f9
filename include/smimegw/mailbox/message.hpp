// mailbox: the values the sync API shows for a message, shaped after Microsoft Graph's message
// resource (field names in the comments). Sections that the decrypt-on-fetch and rights step will
// fill (S/MIME status, sensitivity label, rights) are optional and absent for now.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smimegw::mailbox {

/// Graph emailAddress {name, address}.
struct EmailAddress {
  std::string name;
  std::string address;
  friend bool operator==(const EmailAddress&, const EmailAddress&) = default;
};

/// What a delta page and a message GET show without the body.
struct Summary {
  std::string id;                       ///< id (opaque, ids.hpp)
  std::string folder;                   ///< inbox | sentitems (parentFolderId's well-known name)
  std::string subject;                  ///< subject, RFC 2047 decoded
  std::optional<EmailAddress> from;     ///< from
  std::vector<EmailAddress> to;         ///< toRecipients
  std::vector<EmailAddress> cc;         ///< ccRecipients
  std::int64_t received_at = 0;         ///< receivedDateTime, Unix seconds
  std::optional<std::int64_t> sent_at;  ///< sentDateTime (the Date header), Unix seconds
  bool has_attachments = false;         ///< hasAttachments (non-inline attachments)
  std::string internet_message_id;      ///< internetMessageId
  std::string body_preview;             ///< bodyPreview (≤ 255 characters)
  std::int64_t size_bytes = 0;          ///< size of the stored MIME
};

/// Graph itemBody {contentType: text|html, content}.
struct Body {
  std::string content_type = "text";
  std::string content;  ///< UTF-8
};

/// Graph fileAttachment metadata.
struct Attachment {
  std::string id;  ///< opaque, unique within the message
  std::string name;
  std::string content_type;  ///< type/subtype
  std::int64_t size = 0;     ///< decoded size in bytes
  bool is_inline = false;
  std::string content_id;  ///< Content-ID without <>, "" when none
};

struct AttachmentContent {
  Attachment info;
  std::string bytes;  ///< transfer-decoded content
};

/// Graph internetMessageHeader {name, value}.
struct InternetHeader {
  std::string name;
  std::string value;
};

/// smime {signed, signatureStatus, signer, certificate{…}, errors[], encrypted} — filled by the
/// decrypt-on-fetch step (not yet).
struct SmimeStatus {
  bool is_signed = false;
  std::string signature_status;  ///< valid | invalid | untrusted | …
  std::string signer;
  struct Certificate {
    std::string subject, issuer, serial, not_after, thumbprint;
  };
  std::optional<Certificate> certificate;
  std::vector<std::string> errors;
  bool encrypted = false;
};

/// sensitivityLabel {id, name} — filled by the rights step (not yet).
struct SensitivityLabel {
  std::string id;
  std::string name;
};

/// GET /me/messages/{id}.
struct MessageView {
  Summary summary;
  Body body;
  std::optional<SmimeStatus> smime;
  std::optional<SensitivityLabel> label;
};

}  // namespace smimegw::mailbox
