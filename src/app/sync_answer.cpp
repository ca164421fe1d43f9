// app: the message a forward / reply / replyAll answers (sync_services.hpp). The label's rights
// decide first (a protected label without the right: rights_denied naming it), then a sealed
// message needs the user's S/MIME on (smime_disabled otherwise: it cannot be opened to quote or
// attach). The answer keeps the original's label when the catalog still has it.
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mime/address_list.hpp"
#include "smimegw/mime/parser.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
using http::sync::Answer;
using http::sync::EmailAddress;
using http::sync::Original;

namespace {

struct RightName {
  policy::Right right;
  const char* name;
};

RightName right_of(Answer a) {
  switch (a) {
    case Answer::forward:
      return {policy::Right::forward, "forward"};
    case Answer::reply:
      return {policy::Right::reply, "reply"};
    case Answer::reply_all:
      break;
  }
  return {policy::Right::reply_all, "replyAll"};
}

/// rights_denied naming the right when a protected label withholds what `a` needs.
core::Status check_right(const std::optional<policy::Label>& label, Answer a) {
  if (!label || label->protection != policy::Protection::encrypt) return {};
  auto [right, name] = right_of(a);
  if (label->rights.has(right)) return {};
  const std::string& shown = label->display_name.empty() ? label->name : label->display_name;
  return core::Error::make("rights_denied", std::string(name) + ": the label " + shown +
                                                " does not allow this message to be " +
                                                (a == Answer::forward ? "forwarded" : "answered") +
                                                " (right " + name + ")");
}

std::vector<EmailAddress> convert(const std::vector<mailbox::EmailAddress>& list) {
  std::vector<EmailAddress> out;
  for (const auto& a : list) out.push_back({a.name, a.address});
  return out;
}

/// The first "<...>" of a Message-ID field ("" when there is none).
std::string angle_id(const std::string& field) {
  auto open = field.find('<');
  auto close = field.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos || close - open > 998) return "";
  return field.substr(open, close - open + 1);
}

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  return s.size() > 998 ? s.substr(0, 998) : s;
}

}  // namespace

asio::awaitable<core::Result<Original>> SyncServices::original(std::string user, std::string id,
                                                               Answer answer) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  if (auto denied = check_right(o->label, answer); !denied) co_return denied.error();
  if (o->row.sealed) {
    auto p = co_await user_policy(user);
    if (!p) co_return p.error();
    if (!p->smime_enabled())
      co_return core::Error::make("smime_disabled",
                                  "S/MIME is turned off in your settings; enable it to answer an "
                                  "encrypted message");
  }
  auto msg = mime::parse(std::string_view(o->mime));
  if (!msg) co_return msg.error();
  auto summary = mailbox::summarize(*msg);
  Original out;
  out.subject = one_line(summary.subject);
  out.internet_message_id = angle_id(msg->header("Message-ID"));
  out.references = one_line(msg->header("References"));
  if (summary.from) out.from = EmailAddress{summary.from->name, summary.from->address};
  auto reply_to = mime::parse_address_list(msg->header("Reply-To"));
  if (!reply_to.empty()) out.reply_to = EmailAddress{reply_to[0].display_name, reply_to[0].address};
  auto u = co_await me(user);
  if (!u) co_return u.error();
  out.to = convert(summary.to);
  out.cc = convert(summary.cc);
  out.own_addresses = u->proxy_addresses;
  out.own_addresses.push_back(u->address);
  out.sent = one_line(msg->header("Date"));
  out.text = mailbox::extract_body(*msg, mailbox::BodyPreference::Text).content;
  out.mime = std::move(o->mime);
  if (o->label) out.label_id = o->label->id;
  co_return out;
}

}  // namespace smimegw::app
