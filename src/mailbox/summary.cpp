// mailbox: the summary fields of a message (headers, plus the preview from the first text part).
#include <algorithm>

#include "layout.hpp"
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mailbox/date.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/charset.hpp"
#include "smimegw/mime/encoded_words.hpp"
#include "smimegw/mime/part_content.hpp"
#include "smimegw/mime/transfer_encoding.hpp"
#include "text.hpp"

namespace smimegw::mailbox {

namespace {
std::vector<EmailAddress> addresses(const mime::Message& msg, std::string_view field,
                                    std::size_t max) {
  std::vector<EmailAddress> out;
  for (auto& m : mime::parse_address_list(msg.header(field))) {
    if (out.size() >= max) break;
    out.push_back({detail::clean_utf8(m.display_name), detail::clean_utf8(m.address)});
  }
  return out;
}

/// The decoded text of `p`, from a buffer that may end inside it.
std::string part_text(const mime::Message& msg, const mime::Part& p, bool truncated) {
  std::string_view body = msg.bytes(p.body);
  if (truncated && p.body.end >= msg.raw.size()) {
    const auto nl = body.rfind('\n');
    body = body.substr(0, nl == std::string_view::npos ? 0 : nl + 1);
  }
  // a preview needs little: decode at most 16 KiB of the part
  if (body.size() > 16384) {
    const auto nl = body.rfind('\n', 16384);
    body = body.substr(0, nl == std::string_view::npos ? 16384 : nl + 1);
  }
  auto decoded = mime::decode_transfer(body, p.transfer_encoding);
  if (!decoded) return {};
  auto utf8 = mime::to_utf8(*decoded, p.charset());
  return detail::clean_utf8(utf8 ? *utf8 : *decoded);
}
}  // namespace

Summary summarize(const mime::Message& msg, const SummaryLimits& limits) {
  Summary s;
  s.subject = detail::clean_utf8(mime::decode_header_text(msg.header("Subject")));
  auto from = addresses(msg, "From", 1);
  if (from.empty()) from = addresses(msg, "Sender", 1);
  if (!from.empty()) s.from = from.front();
  s.to = addresses(msg, "To", limits.max_recipients);
  s.cc = addresses(msg, "Cc", limits.max_recipients);
  s.sent_at = parse_rfc5322_date(msg.header("Date"));
  s.internet_message_id = detail::clean_utf8(msg.header("Message-ID"));
  const auto parts = detail::layout(msg);
  s.has_attachments = parts.has_attachments();
  std::string preview;
  if (parts.text)
    preview = part_text(msg, *parts.text, limits.truncated);
  else if (parts.html)
    preview = detail::html_to_text(part_text(msg, *parts.html, limits.truncated));
  s.body_preview = detail::utf8_prefix(detail::collapse_space(preview), limits.preview_chars);
  return s;
}

std::vector<InternetHeader> internet_headers(const mime::Message& msg) {
  std::vector<InternetHeader> out;
  out.reserve(msg.root.headers.size());
  for (const auto& h : msg.root.headers)
    out.push_back({detail::clean_utf8(h.name), detail::clean_utf8(h.unfolded(msg.raw))});
  return out;
}

}  // namespace smimegw::mailbox
