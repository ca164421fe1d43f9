#include "smimegw/transport/dsn.hpp"

#include <botan/system_rng.h>

#include <ctime>

#include "smimegw/core/time_format.hpp"
#include "smimegw/transport/intake.hpp"

namespace smimegw::transport {

namespace {

// Keeps DSN fields 7-bit and on one line whatever the remote server answered.
std::string field_safe(const std::string& s) {
  std::string out;
  for (unsigned char c : s) out += (c < 0x20 || c > 0x7e) ? ' ' : static_cast<char>(c);
  return out.substr(0, 900);
}

std::string header_block_of(const std::string& body) {
  auto end = body.find("\r\n\r\n");
  return end == std::string::npos ? body : body.substr(0, end + 2);
}

std::string new_boundary() {
  std::uint8_t rnd[12];
  Botan::system_rng().randomize(rnd, sizeof rnd);
  std::string boundary = "=_smimegw_dsn_";
  static const char* hex = "0123456789abcdef";
  for (auto b : rnd) {
    boundary += hex[b >> 4];
    boundary += hex[b & 15];
  }
  return boundary;
}

// ORCPT is kept as "addr-type;address"; the field wants "addr-type; address" (RFC 3464 §2.3.1).
std::string original_recipient(const std::string& orcpt) {
  auto semi = orcpt.find(';');
  if (semi == std::string::npos) return "rfc822; " + field_safe(orcpt);
  return field_safe(orcpt.substr(0, semi)) + "; " + field_safe(orcpt.substr(semi + 1));
}

std::string status_of(const FailedRecipient& r, DsnKind kind) {
  if (kind == DsnKind::Success) {
    auto s = enhanced_status_of(r.last_reply, false);
    return s[0] == '2' ? s : "2.0.0";
  }
  auto s = enhanced_status_of(r.last_reply, kind == DsnKind::Failure);
  s[0] = kind == DsnKind::Failure ? '5' : '4';
  return s;
}

struct Wording {
  const char* subject;
  const char* intro;
};

Wording wording(DsnKind kind) {
  switch (kind) {
    case DsnKind::Delay:
      return {"Delayed Mail (still being retried)",
              "Your message has not been delivered yet to the following recipient(s). The mail "
              "system keeps trying; you do not need to send it again.\r\n\r\n"};
    case DsnKind::Success:
      return {"Successful Mail Delivery Report",
              "Your message was delivered to the following recipient(s) (\"relayed\": handed on "
              "to a mail server that sends no further notifications):\r\n\r\n"};
    case DsnKind::Failure:
      break;
  }
  return {"Undelivered Mail Returned to Sender",
          "Your message could not be delivered to the following recipient(s):\r\n\r\n"};
}

std::string status_part(const QueuedMessage& original, const std::vector<FailedRecipient>& rcpts,
                        const DsnContext& ctx, DsnKind kind,
                        const std::optional<TimePoint>& retry_until) {
  auto now = std::chrono::system_clock::now();
  std::string status = "Reporting-MTA: dns; " + ctx.reporting_host + "\r\n";
  if (!original.envid.empty())
    status += "Original-Envelope-Id: " + field_safe(original.envid) + "\r\n";
  status += "Arrival-Date: " + core::rfc5322_date(original.received_at) + "\r\n";
  for (const auto& f : rcpts) {
    status += "\r\n";
    if (!f.orcpt.empty()) status += "Original-Recipient: " + original_recipient(f.orcpt) + "\r\n";
    status += "Final-Recipient: rfc822; " + field_safe(f.address) + "\r\n";
    status += "Action: " + f.action + "\r\n";
    status += "Status: " + status_of(f, kind) + "\r\n";
    if (!f.last_reply.empty())
      status += "Diagnostic-Code: smtp; " + field_safe(f.last_reply) + "\r\n";
    status += "Last-Attempt-Date: " + core::rfc5322_date(now) + "\r\n";
    if (kind == DsnKind::Delay && retry_until)
      status += "Will-Retry-Until: " + core::rfc5322_date(*retry_until) + "\r\n";
  }
  return status;
}

}  // namespace

bool failure_dsn_wanted(const std::string& mail_from, unsigned notify) {
  if (mail_from.empty()) return false;
  if (notify & kNotifyNever) return false;
  if (notify != 0 && !(notify & kNotifyFailure)) return false;
  return true;
}

bool delay_dsn_wanted(const std::string& mail_from, unsigned notify) {
  if (mail_from.empty() || (notify & kNotifyNever)) return false;
  return notify == 0 || (notify & kNotifyDelay);
}

bool success_dsn_wanted(const std::string& mail_from, unsigned notify) {
  if (mail_from.empty() || (notify & kNotifyNever)) return false;
  return (notify & kNotifySuccess) != 0;
}

std::string enhanced_status_of(const std::string& reply, bool permanent) {
  // "550 5.1.1 ..." → "5.1.1"
  auto sp = reply.find(' ');
  if (sp != std::string::npos && sp + 6 <= reply.size()) {
    auto cand = reply.substr(sp + 1, reply.find(' ', sp + 1) - sp - 1);
    if (cand.size() >= 5 && (cand[0] == '2' || cand[0] == '4' || cand[0] == '5') && cand[1] == '.')
      return cand;
  }
  return permanent ? "5.0.0" : "4.0.0";
}

NewMessage build_dsn(const QueuedMessage& original, const std::vector<FailedRecipient>& rcpts,
                     const DsnContext& ctx, DsnKind kind, std::optional<TimePoint> retry_until) {
  auto boundary = new_boundary();
  auto words = wording(kind);
  std::string human =
      "This is the mail system at " + ctx.reporting_host + ".\r\n\r\n" + words.intro;
  for (const auto& f : rcpts)
    human +=
        "  " + field_safe(f.address) + " (" + f.action + "): " + field_safe(f.last_reply) + "\r\n";

  bool headers_only = kind != DsnKind::Failure || original.ret == "HDRS";
  std::string msg;
  msg += "From: Mail Delivery System <MAILER-DAEMON@" + ctx.reporting_host + ">\r\n";
  msg += "To: <" + field_safe(original.mail_from) + ">\r\n";
  msg += std::string("Subject: ") + words.subject + "\r\n";
  msg += "Date: " + core::rfc5322_date(std::chrono::system_clock::now()) + "\r\n";
  msg += "Message-ID: <" + new_queue_id() + ".dsn@" + ctx.reporting_host + ">\r\n";
  msg += "Auto-Submitted: auto-replied\r\n";
  msg += "MIME-Version: 1.0\r\n";
  msg += "Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" +
         boundary + "\"\r\n";
  msg += "\r\nThis is a MIME-encapsulated delivery status notification.\r\n";
  msg += "\r\n--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + human;
  msg += "\r\n--" + boundary + "\r\nContent-Type: message/delivery-status\r\n\r\n" +
         status_part(original, rcpts, ctx, kind, retry_until);
  if (headers_only)
    msg += "\r\n--" + boundary + "\r\nContent-Type: text/rfc822-headers\r\n\r\n" +
           header_block_of(original.body);
  else
    msg += "\r\n--" + boundary + "\r\nContent-Type: message/rfc822\r\n\r\n" + original.body;
  if (msg.size() < 2 || msg.compare(msg.size() - 2, 2, "\r\n") != 0) msg += "\r\n";
  msg += "--" + boundary + "--\r\n";

  NewMessage dsn;
  dsn.queue_id = new_queue_id();
  dsn.source = "dsn";
  dsn.mail_from = "";
  dsn.message_id = "";
  dsn.body = std::move(msg);
  dsn.recipients.push_back({original.mail_from, "", kNotifyNever, Route::Relay});
  return dsn;
}

NewMessage build_failure_dsn(const QueuedMessage& original,
                             const std::vector<FailedRecipient>& failed, const DsnContext& ctx) {
  return build_dsn(original, failed, ctx, DsnKind::Failure);
}

}  // namespace smimegw::transport
