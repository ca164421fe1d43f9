// app: POST /me/sendMail (sync_services.hpp). The message goes to the same intake as SMTP
// submission (source "api"): RCPT-time checks per recipient, then accept(), which returns only
// after the message is committed. The client's choices become the header fields the transport's
// policy reads: msip_labels for the label, X-Smimegw-Sign / X-Smimegw-Encrypt: yes|no for the
// per-message requests (fields of the same names sent by the client are replaced). While the
// user's S/MIME is off, sign/encrypt requests are refused (smime_disabled).
#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/policy/msip_labels.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;

namespace {

std::string lower(std::string s) {
  return core::ascii_lower(s);
}

/// Removes every field named in `names` (lower-case) from the header block and puts `fields`
/// (complete "Name: value" lines without CRLF) at its top.
std::string set_header_fields(const std::string& mime, const std::vector<std::string>& names,
                              const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += f + "\r\n";
  std::size_t pos = 0;
  bool dropping = false;
  while (pos < mime.size()) {
    auto nl = mime.find('\n', pos);
    auto end = nl == std::string::npos ? mime.size() : nl + 1;
    std::string_view line(mime.data() + pos, end - pos);
    if (line == "\r\n" || line == "\n") {
      out.append(mime, pos, std::string::npos);
      return out;
    }
    if (line[0] == ' ' || line[0] == '\t') {
      if (!dropping) out.append(line);
    } else {
      auto colon = line.find(':');
      auto name = lower(std::string(line.substr(0, colon == std::string_view::npos ? 0 : colon)));
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
      dropping = std::find(names.begin(), names.end(), name) != names.end();
      if (!dropping) out.append(line);
    }
    pos = end;
  }
  return out;
}

std::vector<std::string> header_recipients(const mime::Message& msg) {
  std::vector<std::string> out;
  for (const char* field : {"To", "Cc", "Bcc"})
    for (const auto& m : mime::parse_address_list(msg.header(field))) out.push_back(m.address);
  return out;
}

}  // namespace

asio::awaitable<core::Status> SyncServices::send(std::string user, http::sync::SendRequest req) {
  auto p = co_await user_policy(user);
  if (!p) co_return p.error();
  if (!p->smime_enabled() && (req.sign.value_or(false) || req.encrypt.value_or(false)))
    co_return core::Error::make("smime_disabled",
                                "S/MIME is turned off in your settings; enable it to sign or "
                                "encrypt (PATCH /v1.0/me/settings {\"smimeEnabled\":true})");
  std::vector<std::string> fields;
  std::vector<std::string> replaced;
  if (!req.label_id.empty()) {
    auto cat = co_await catalog();
    if (!cat) co_return cat.error();
    auto label = find_label(*cat, req.label_id);
    if (!label)
      co_return core::Error::make("validation_failed",
                                  "sensitivityLabelId: no such label " + req.label_id);
    policy::MsipLabel m;
    m.id = label->id;
    m.enabled = true;
    m.set_date = core::iso8601_utc(d_.clock.now());
    m.method = "Standard";
    m.name = label->name;
    if (!d_.tenant_id.empty()) m.site_id = d_.tenant_id;
    m.action_id = "00000000-0000-0000-0000-000000000000";
    policy::MsipHeader h;
    h.labels.push_back(m);
    auto field = policy::format_msip_labels_field(h);
    if (!field) co_return field.error();
    fields.push_back(*field);
    replaced.push_back("msip_labels");
  }
  if (req.sign) {
    fields.push_back(std::string("X-Smimegw-Sign: ") + (*req.sign ? "yes" : "no"));
    replaced.push_back("x-smimegw-sign");
  }
  if (req.encrypt) {
    fields.push_back(std::string("X-Smimegw-Encrypt: ") + (*req.encrypt ? "yes" : "no"));
    replaced.push_back("x-smimegw-encrypt");
  }
  std::string message = std::move(req.mime);
  if (!fields.empty()) message = set_header_fields(message, replaced, fields);

  auto parsed = mime::parse(std::string_view(message));
  if (!parsed) co_return core::Error::make("validation_failed", "body: " + parsed.error().message);
  if (req.rcpts.empty()) req.rcpts = header_recipients(*parsed);
  if (req.rcpts.empty())
    co_return core::Error::make("validation_failed", "the message has no recipients (To, Cc, Bcc)");
  const auto message_id = mailbox::summarize(*parsed).internet_message_id;

  core::Envelope env;
  env.mail_from = user;
  env.authenticated_user = user;
  env.client_address = "api";
  env.body = core::BodyType::EightBitMime;
  env.session_id = "api";
  std::string refusals;
  for (const auto& r : req.rcpts) {
    core::Recipient rcpt{r, 0, ""};
    auto verdict = co_await d_.sink.check_recipient(env, rcpt);
    if (!verdict.accepted)
      refusals += r + ": " + verdict.reason.message + "\n";
    else
      env.recipients.push_back(rcpt);
  }
  if (!refusals.empty()) co_return core::Error::make("policy_refused", refusals);
  auto accepted = co_await d_.sink.accept(env, message);
  if (!accepted) co_return accepted.error();
  obs::log(*obs::logger("http"), spdlog::level::info, "sync_mail_sent",
           {{"user", user},
            {"queue_id", accepted->queue_id},
            {"recipients", std::to_string(env.recipients.size())}});
  if (req.save_to_sent) {
    mailbox::NewMessage copy{user, "sentitems", accepted->queue_id, message_id, message};
    auto saved = co_await d_.mailbox.append(copy);
    if (!saved)  // the message is sent; only the copy is missing
      obs::log(*obs::logger("http"), spdlog::level::warn, "sync_sent_copy_failed",
               {{"user", user}, {"queue_id", accepted->queue_id}, {"code", saved.error().code}});
  }
  co_return core::Status{};
}

}  // namespace smimegw::app
