// http/sync: answering a message, honouring its label's rights (ARCHITECTURE §8).
//   POST /v1.0/me/messages/{id}/forward  {"comment"?: "...", "toRecipients": [recipients]}
//   POST /v1.0/me/messages/{id}/reply    {"comment"?: "..."}
//   POST /v1.0/me/messages/{id}/replyAll {"comment"?: "..."}
//   → 202 once the answer is committed, like sendMail. 403 rightsDenied when the message's label
//   withholds the right (forward, reply, replyAll: the message names it); 403 smimeDisabled for a
//   sealed message while the user's S/MIME is off; 403 contentExpired; 422 policyRefused (e.g. an
//   internal-only label forwarded outside); 404 for another user's message.
// The answer keeps the original's label (sensitivityLabelId) and carries In-Reply-To and
// References, from which the transport gate inherits the label as well. A reply goes to Reply-To
// (else From); replyAll adds To and Cc without the caller. Forward attaches the original as
// message/rfc822 under the comment. Subjects get "RE: " / "FW: " unless they already have it.
#include <algorithm>
#include <chrono>

#include "compose.hpp"
#include "handlers.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/http/auth.hpp"
#include "smimegw/http/errors.hpp"
#include "smimegw/http/json.hpp"
#include "smimegw/obs/log.hpp"

namespace smimegw::http::sync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxComment = 1024 * 1024;

json::object recipient(const EmailAddress& a) {
  json::object e;
  e["address"] = a.address;
  if (!a.name.empty()) e["name"] = a.name;
  json::object o;
  o["emailAddress"] = std::move(e);
  return o;
}

bool starts_with_prefix(const std::string& subject, const std::string& prefix) {
  return core::ascii_lower(subject.substr(0, prefix.size())) == core::ascii_lower(prefix);
}

std::string answer_subject(const std::string& subject, Answer a) {
  if (a == Answer::forward)
    return starts_with_prefix(subject, "FW:") || starts_with_prefix(subject, "Fwd:")
               ? subject
               : "FW: " + subject;
  return starts_with_prefix(subject, "RE:") ? subject : "RE: " + subject;
}

std::string address_line(const std::vector<EmailAddress>& list) {
  std::string out;
  for (const auto& a : list)
    out +=
        (out.empty() ? "" : "; ") + (a.name.empty() ? a.address : a.name + " <" + a.address + ">");
  return out;
}

/// The comment above the original's header block (and its text for a reply).
std::string answer_body(const std::string& comment, const Original& o, Answer a) {
  std::string b = comment + "\r\n\r\n-----Original Message-----\r\n";
  if (o.from) b += "From: " + address_line({*o.from}) + "\r\n";
  if (!o.sent.empty()) b += "Sent: " + o.sent + "\r\n";
  if (!o.to.empty()) b += "To: " + address_line(o.to) + "\r\n";
  if (!o.cc.empty()) b += "Cc: " + address_line(o.cc) + "\r\n";
  b += "Subject: " + o.subject + "\r\n";
  if (a != Answer::forward) b += "\r\n" + o.text;
  return b;
}

/// Reply recipients: Reply-To or From; replyAll adds To and Cc; never the caller, no repeats.
json::array reply_recipients(const Original& o, Answer a, json::array& cc) {
  json::array to;
  std::vector<std::string> seen;
  for (const auto& mine : o.own_addresses) seen.push_back(core::ascii_lower(mine));
  auto add = [&seen](json::array& list, const EmailAddress& e) {
    auto key = core::ascii_lower(e.address);
    if (key.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) return;
    seen.push_back(key);
    list.push_back(recipient(e));
  };
  if (o.reply_to)
    add(to, *o.reply_to);
  else if (o.from)
    add(to, *o.from);
  if (a == Answer::reply_all) {
    for (const auto& e : o.to) add(to, e);
    for (const auto& e : o.cc) add(cc, e);
  }
  return to;
}

/// The request body: an object of `comment` (and `toRecipients` for forward) only.
core::Result<json::object> answer_body_object(const std::string& text, Answer a) {
  auto body = parse_json_object(text.empty() ? std::string("{}") : text);
  if (!body) return body.error();
  for (const auto& kv : *body) {
    auto k = kv.key();
    if (k != "comment" && !(a == Answer::forward && k == "toRecipients"))
      return core::Error::make("validation_failed",
                               std::string(k.data(), k.size()) + ": unknown field");
  }
  return body;
}

std::string references_of(const Original& o) {
  if (o.references.empty()) return o.internet_message_id;
  return o.references + " " + o.internet_message_id;
}

core::Result<std::string> comment_of(const json::object& body) {
  auto c = string_field(body, "comment", false, kMaxComment);
  if (!c) return c.error();
  return c->value_or("");
}

Awaitable answer(Service& s, Request& req, Answer a) {
  auto id = param(req, "id");
  if (id.empty() || id.size() > 128) co_return problem("not_found", "no such message");
  // The message first: another user's id is 404 whatever the body says.
  auto original = co_await s.original(req.principal, id, a);
  if (!original) co_return error_from(original.error());
  auto body = answer_body_object(req.body, a);
  if (!body) co_return error_from(body.error());
  auto comment = comment_of(*body);
  if (!comment) co_return error_from(comment.error());

  json::object m;
  m["subject"] = answer_subject(original->subject, a);
  json::object text;
  text["contentType"] = "text";
  text["content"] = answer_body(*comment, *original, a);
  m["body"] = std::move(text);
  ComposeExtras extras;
  if (a == Answer::forward) {
    auto to = body->find("toRecipients");
    if (to == body->end() || !to->value().is_array() || to->value().as_array().empty())
      co_return problem("validation_failed", "toRecipients: at least one recipient is required");
    m["toRecipients"] = to->value();
    extras.rfc822 = original->mime;
  } else {
    json::array cc;
    auto to = reply_recipients(*original, a, cc);
    if (to.empty() && cc.empty())
      co_return problem("validation_failed", "the message has no one to reply to");
    m["toRecipients"] = std::move(to);
    m["ccRecipients"] = std::move(cc);
  }
  if (!original->internet_message_id.empty()) {
    extras.headers = "In-Reply-To: " + original->internet_message_id + "\r\n";
    extras.headers += "References: " + references_of(*original) + "\r\n";
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto unique = generate_token().substr(5, 24);
  for (auto& c : unique)
    if (c == '-' || c == '_') c = 'x';
  auto composed = compose(m, req.principal, now, unique, extras);
  if (!composed) {  // field names of the composed message mean the request's here
    auto e = composed.error();
    if (e.message.rfind("message.", 0) == 0) e.message = e.message.substr(8);
    co_return error_from(e);
  }
  SendRequest send;
  send.mime = std::move(composed->mime);
  send.rcpts = std::move(composed->rcpts);
  send.label_id = original->label_id;
  auto st = co_await s.send(req.principal, std::move(send));
  if (!st) {
    if (st.error().code == "policy_refused") co_return refused_response(st.error());
    co_return error_from(st.error());
  }
  static const char* const kNames[] = {"forward", "reply", "replyAll"};
  obs::log(
      *obs::logger("http"), spdlog::level::info, "sync_message_answered",
      {{"rid", req.request_id}, {"user", req.principal}, {"action", kNames[static_cast<int>(a)]}});
  Response r;
  r.status = 202;
  co_return r;
}

}  // namespace

Awaitable message_forward(Service& s, Request& req) {
  return answer(s, req, Answer::forward);
}

Awaitable message_reply(Service& s, Request& req) {
  return answer(s, req, Answer::reply);
}

Awaitable message_reply_all(Service& s, Request& req) {
  return answer(s, req, Answer::reply_all);
}

}  // namespace smimegw::http::sync
