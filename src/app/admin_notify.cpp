// app: the administrator-push notification mail (admin_notify.hpp).
#include "admin_notify.hpp"

#include "smimegw/core/time_format.hpp"
#include "smimegw/transport/intake.hpp"

namespace smimegw::app {

namespace {

std::string usage_text(const std::string& usage) {
  if (usage == "sign") return "signing";
  if (usage == "encrypt") return "encryption";
  return "signing and encryption";
}

}  // namespace

std::string postmaster_address(const config::Config& cfg) {
  const auto& domains = cfg.organization.accepted_domains;
  return "postmaster@" + (domains.empty() ? cfg.organization.hostname : domains.front());
}

transport::NewMessage push_notification(
    const config::Config& cfg, const std::string& address,
    const std::vector<http::admin::UserCertificateView>& certs) {
  transport::NewMessage m;
  m.queue_id = transport::new_queue_id();
  m.source = "dsn";  // gateway-generated, null sender: never bounces
  m.mail_from = "";
  m.message_id = "<" + m.queue_id + ".certificate@" + cfg.organization.hostname + ">";
  std::string text =
      "Hello,\r\n\r\nyour administrator installed " +
      std::string(certs.size() == 1 ? "an S/MIME certificate" : "S/MIME certificates") +
      " with its private key for " + address + ":\r\n";
  for (const auto& c : certs)
    text += "\r\n  Thumbprint (SHA-1): " + c.thumbprint +
            "\r\n  Used for:           " + usage_text(c.usage) +
            "\r\n  Valid from:         " + core::iso8601_utc(c.not_before) +
            "\r\n  Valid until:        " + core::iso8601_utc(c.not_after) + "\r\n";
  text +=
      "\r\nIt will reach your devices the next time they synchronise with the mail server; you "
      "do not need to do anything.\r\nIf you did not expect this, contact your "
      "administrator.\r\n";
  m.body = "From: Postmaster <" + postmaster_address(cfg) + ">\r\nTo: <" + address +
           ">\r\nSubject: S/MIME certificate installed for your mailbox\r\nDate: " +
           core::rfc5322_date(std::chrono::system_clock::now()) +
           "\r\nMessage-ID: " + m.message_id +
           "\r\nAuto-Submitted: auto-generated\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
           text;
  m.recipients.push_back({address, "", 0, transport::Route::Local});
  return m;
}

}  // namespace smimegw::app
