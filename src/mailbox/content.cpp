// mailbox: body extraction and attachments of a stored message.
#include "smimegw/mailbox/content.hpp"

#include <algorithm>
#include <cctype>

#include "layout.hpp"
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/header_field.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "text.hpp"

namespace smimegw::mailbox {

namespace {
std::string decoded_text(const mime::Message& msg, const mime::Part& p) {
  auto utf8 = mime::decode_text(msg, p);
  if (utf8) return detail::clean_utf8(*utf8);
  // unknown or broken charset: show what can be shown rather than nothing
  auto bytes = mime::decode_body(msg, p);
  return bytes ? detail::clean_utf8(*bytes) : std::string();
}

/// Decoded size without decoding base64 (4 characters → 3 bytes, padding subtracted).
std::int64_t decoded_size(const mime::Message& msg, const mime::Part& p) {
  const auto body = msg.bytes(p.body);
  if (p.transfer_encoding == "base64") {
    std::int64_t chars = 0, pad = 0;
    for (char c : body) {
      if (c == '=')
        ++pad;
      else if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')
        ++chars;
    }
    const std::int64_t total = chars + pad;
    std::int64_t size = total / 4 * 3 - std::min<std::int64_t>(pad, 2);
    if (total % 4 >= 2) size += total % 4 - 1;  // an unpadded final quantum
    return std::max<std::int64_t>(size, 0);
  }
  if (p.transfer_encoding == "quoted-printable")
    return static_cast<std::int64_t>(mime::decode_quoted_printable(body).size());
  return static_cast<std::int64_t>(body.size());
}

std::string content_id(const mime::Message& msg, const mime::Part& p) {
  const auto* h = p.find("Content-ID");
  if (!h) return {};
  std::string v = h->unfolded(msg.raw);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return detail::clean_utf8(v);
}

Attachment describe(const mime::Message& msg, const detail::AttachmentPart& a, std::uint32_t n) {
  Attachment out;
  out.id = attachment_id_string(n);
  out.name = detail::clean_utf8(detail::part_name(*a.part));
  if (out.name.empty() && a.part->content_type.type == "message" && !a.part->children.empty()) {
    // an attached message is named after its subject, as Outlook does
    const auto* subj = a.part->children.front().find("Subject");
    if (subj) out.name = detail::clean_utf8(mime::decode_header_text(subj->unfolded(msg.raw)));
  }
  if (out.name.empty()) out.name = "attachment" + std::to_string(n + 1);
  out.content_type = a.part->content_type.mime_type();
  out.size = decoded_size(msg, *a.part);
  out.is_inline = a.is_inline;
  out.content_id = content_id(msg, *a.part);
  return out;
}
}  // namespace

Body extract_body(const mime::Message& msg, BodyPreference prefer) {
  const auto parts = detail::layout(msg);
  const mime::Part* html = parts.html;
  const mime::Part* text = parts.text;
  if (html && (prefer == BodyPreference::Html || !text)) {
    Body b{"html", decoded_text(msg, *html)};
    if (prefer == BodyPreference::Text) b = Body{"text", detail::html_to_text(b.content)};
    return b;
  }
  if (text) return Body{"text", decoded_text(msg, *text)};
  return Body{"text", ""};
}

std::vector<Attachment> list_attachments(const mime::Message& msg) {
  const auto parts = detail::layout(msg);
  std::vector<Attachment> out;
  out.reserve(parts.attachments.size());
  for (std::uint32_t i = 0; i < parts.attachments.size(); ++i)
    out.push_back(describe(msg, parts.attachments[i], i));
  return out;
}

core::Result<AttachmentContent> attachment_content(const mime::Message& msg,
                                                   std::string_view attachment_id) {
  const auto n = parse_attachment_id(attachment_id);
  const auto parts = detail::layout(msg);
  if (!n || *n >= parts.attachments.size())
    return core::Error::make("not_found", "no such attachment");
  const auto& a = parts.attachments[*n];
  AttachmentContent out;
  out.info = describe(msg, a, *n);
  if (a.part->content_type.type == "message") {
    out.bytes = std::string(msg.bytes(a.part->body));  // the enclosed message as it is
  } else {
    auto bytes = mime::decode_body(msg, *a.part);
    if (!bytes) return bytes.error();
    out.bytes = std::move(*bytes);
  }
  out.info.size = static_cast<std::int64_t>(out.bytes.size());
  return out;
}

}  // namespace smimegw::mailbox
