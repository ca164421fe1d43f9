// app: mail reads of the sync API (sync_services.hpp). Every read goes through open(): the
// store's lookup is scoped to the caller's mailbox (another user's id is not_found), a label whose
// content expiry has passed answers content_expired, and sealed mail is unsealed with the gateway
// key while the owner has S/MIME enabled (otherwise it is served as stored: the encrypted
// smime.p7m shows as an attachment).
#include <botan/auto_rng.h>

#include <boost/json/parse.hpp>

#include "offload.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/smime/decrypt.hpp"
#include "sync_services.hpp"

namespace smimegw::app {

namespace asio = boost::asio;
namespace json = boost::json;
using http::sync::AttachmentBytes;
using http::sync::DeltaResult;

namespace {

std::string iso(std::int64_t unix_s) {
  return core::iso8601_utc(std::chrono::system_clock::time_point(std::chrono::seconds(unix_s)));
}

json::object address_json(const mailbox::EmailAddress& a) {
  json::object e;
  e["name"] = a.name;
  e["address"] = a.address;
  json::object o;
  o["emailAddress"] = std::move(e);
  return o;
}

json::array addresses_json(const std::vector<mailbox::EmailAddress>& list) {
  json::array out;
  for (const auto& a : list) out.push_back(address_json(a));
  return out;
}

json::object summary_json(const mailbox::Summary& s) {
  json::object o;
  o["id"] = s.id;
  o["parentFolderId"] = s.folder;
  o["subject"] = s.subject;
  if (s.from)
    o["from"] = address_json(*s.from);
  else
    o["from"] = nullptr;
  o["toRecipients"] = addresses_json(s.to);
  o["ccRecipients"] = addresses_json(s.cc);
  o["receivedDateTime"] = iso(s.received_at);
  if (s.sent_at)
    o["sentDateTime"] = iso(*s.sent_at);
  else
    o["sentDateTime"] = nullptr;
  o["hasAttachments"] = s.has_attachments;
  o["internetMessageId"] = s.internet_message_id;
  o["bodyPreview"] = s.body_preview;
  return o;
}

json::object attachment_json(const mailbox::Attachment& a) {
  json::object o;
  o["@odata.type"] = "#microsoft.graph.fileAttachment";
  o["id"] = a.id;
  o["name"] = a.name;
  o["contentType"] = a.content_type;
  o["size"] = a.size;
  o["isInline"] = a.is_inline;
  if (a.content_id.empty())
    o["contentId"] = nullptr;
  else
    o["contentId"] = a.content_id;
  return o;
}

/// The stored S/MIME status, keeping only the documented fields and their types.
json::object smime_json(const std::string& stored) {
  json::object out;
  out["signed"] = false;
  out["signatureStatus"] = "none";
  out["signer"] = nullptr;
  out["certificate"] = nullptr;
  out["errors"] = json::array();
  out["encrypted"] = false;
  if (stored.empty()) return out;
  boost::system::error_code ec;
  auto v = json::parse(stored, ec);
  if (ec || !v.is_object()) return out;
  const auto& o = v.as_object();
  auto copy = [&](const char* key, auto check) {
    if (auto it = o.find(key); it != o.end() && check(it->value())) out[key] = it->value();
  };
  copy("signed", [](const json::value& x) { return x.is_bool(); });
  copy("encrypted", [](const json::value& x) { return x.is_bool(); });
  copy("signatureStatus", [](const json::value& x) { return x.is_string(); });
  copy("signer", [](const json::value& x) { return x.is_string(); });
  copy("errors", [](const json::value& x) { return x.is_array(); });
  if (auto it = o.find("certificate"); it != o.end() && it->value().is_object()) {
    json::object cert;
    for (const char* k : {"subject", "issuer", "serial", "notAfter", "thumbprint"}) {
      auto c = it->value().as_object().find(k);
      if (c != it->value().as_object().end() && c->value().is_string()) cert[k] = c->value();
    }
    out["certificate"] = std::move(cert);
  }
  return out;
}

core::Error not_found() {
  return core::Error::make("not_found", "no such message");
}

}  // namespace

asio::awaitable<core::Result<DeltaResult>> SyncServices::delta(std::string user, std::string folder,
                                                               std::optional<std::string> token,
                                                               std::optional<int> page_size) {
  auto f = mailbox::parse_folder(folder);
  if (!f) co_return core::Error::make("not_found", "no such mail folder");
  auto page = co_await d_.mail.delta(user, *f, token, page_size);
  if (!page) co_return page.error();
  DeltaResult out;
  for (const auto& c : page->changes) {
    if (c.removed) {
      json::object o;
      o["id"] = c.summary.id;
      json::object reason;
      reason["reason"] = "deleted";
      o["@removed"] = std::move(reason);
      out.value.push_back(std::move(o));
    } else {
      out.value.push_back(summary_json(c.summary));
    }
  }
  out.token = page->token;
  out.more = page->more;
  co_return out;
}

asio::awaitable<core::Result<std::string>> SyncServices::unseal(std::string sealed) {
  if (!d_.gateway_keys) co_return core::Error::make("kek_missing", "no gateway key configured");
  auto keys = co_await d_.gateway_keys();
  if (!keys) co_return keys.error();
  auto held = *keys;  // keeps the keys alive while the worker decrypts
  auto work = [held, sealed = std::move(sealed)]() -> core::Result<std::string> {
    // The seal keys first (an AES key unwrap); the RSA keys open copies sealed before those.
    std::vector<cms::DecryptKey> dk;
    for (const auto& k : held)
      if (!k->seal_key.empty()) dk.emplace_back(k->seal_key_id, &k->seal_key);
    for (const auto& k : held) dk.emplace_back(k->certificate, k->key.get());
    Botan::AutoSeeded_RNG rng;
    auto r = smime::decrypt(sealed, dk, rng);
    if (!r) return r.error();
    return std::move(r->message);
  };
  auto r = co_await run_on(d_.worker, std::move(work));
  co_return std::move(*r);
}

asio::awaitable<core::Result<SyncServices::Opened>> SyncServices::open(std::string user,
                                                                       std::string id) {
  const auto row_id = mailbox::parse_message_id(id);
  if (!row_id) co_return not_found();
  auto found = co_await d_.mailbox.find(user, *row_id, 0);
  if (!found) co_return found.error();
  if (!*found) co_return not_found();
  Opened o;
  o.row = std::move(**found);
  if (!o.row.label_id.empty()) {
    auto cat = co_await catalog();
    if (!cat) co_return cat.error();
    o.label = find_label(*cat, o.row.label_id);
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(d_.clock.now().time_since_epoch()).count();
    if (o.label && content_expired(*o.label, o.row.received_at, now))
      co_return core::Error::make(
          "content_expired",
          "the content of this message has expired (label " + o.label->display_name + ")");
  }
  if (o.row.sealed) {
    auto p = co_await user_policy(user);
    if (!p) co_return p.error();
    if (p->smime_enabled()) {
      auto opened = co_await unseal(o.row.body);
      if (!opened) {
        obs::log(*obs::logger("http"), spdlog::level::warn, "sync_unseal_failed",
                 {{"user", user}, {"id", id}, {"code", opened.error().code}});
        co_return core::Error::make("unseal_failed",
                                    opened.error().code + ": " + opened.error().message);
      }
      o.mime = std::move(*opened);
      co_return o;
    }
  }
  o.mime = std::move(o.row.body);
  co_return o;
}

asio::awaitable<core::Result<json::object>> SyncServices::message(std::string user, std::string id,
                                                                  bool headers, bool text) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  auto msg = mime::parse(std::string_view(o->mime));
  if (!msg) co_return msg.error();
  auto summary = mailbox::summarize(*msg);
  summary.id = mailbox::message_id_string(o->row.id);
  summary.folder = o->row.folder;
  summary.received_at = o->row.received_at;
  summary.size_bytes = o->row.size_bytes;
  auto out = summary_json(summary);
  auto body = mailbox::extract_body(
      *msg, text ? mailbox::BodyPreference::Text : mailbox::BodyPreference::Html);
  json::object b;
  b["contentType"] = body.content_type;
  b["content"] = body.content;
  out["body"] = std::move(b);
  if (headers) {
    json::array list;
    for (const auto& h : mailbox::internet_headers(*msg)) {
      json::object e;
      e["name"] = h.name;
      e["value"] = h.value;
      list.push_back(std::move(e));
    }
    out["internetMessageHeaders"] = std::move(list);
  }
  out["smime"] = smime_json(o->row.smime_json);
  if (o->row.label_id.empty()) {
    out["sensitivityLabel"] = nullptr;
  } else {
    json::object l;
    l["id"] = o->row.label_id;
    if (o->label)
      l["name"] = o->label->display_name.empty() ? o->label->name : o->label->display_name;
    else
      l["name"] = nullptr;
    out["sensitivityLabel"] = std::move(l);
  }
  out["rights"] = rights_json(o->label);
  co_return out;
}

asio::awaitable<core::Result<std::string>> SyncServices::mime(std::string user, std::string id) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  co_return std::move(o->mime);
}

asio::awaitable<core::Result<json::array>> SyncServices::attachments(std::string user,
                                                                     std::string id) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  auto msg = mime::parse(std::string_view(o->mime));
  if (!msg) co_return msg.error();
  json::array out;
  for (const auto& a : mailbox::list_attachments(*msg)) out.push_back(attachment_json(a));
  co_return out;
}

asio::awaitable<core::Result<AttachmentBytes>> SyncServices::attachment(std::string user,
                                                                        std::string id,
                                                                        std::string attachment_id) {
  auto o = co_await open(user, id);
  if (!o) co_return o.error();
  auto msg = mime::parse(std::string_view(o->mime));
  if (!msg) co_return msg.error();
  auto a = mailbox::attachment_content(*msg, attachment_id);
  if (!a) co_return a.error();
  co_return AttachmentBytes{attachment_json(a->info), std::move(a->bytes)};
}

}  // namespace smimegw::app
