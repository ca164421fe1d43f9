// mailbox: message reads, removal and purge (service.hpp). Every lookup is filtered by the
// caller's mailbox in the store, so another user's id is `not_found`, never their message.
#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::mailbox {

namespace asio = boost::asio;

namespace {
core::Error not_found() {
  return core::Error::make("not_found", "no such message");
}

MessageView view_of(const StoredMessage& m, BodyPreference prefer) {
  MessageView v;
  auto msg = mime::parse(std::string_view(m.body));
  if (msg) {
    v.summary = summarize(*msg);
    v.body = extract_body(*msg, prefer);
  }
  v.summary.id = message_id_string(m.id);
  v.summary.folder = m.folder;
  v.summary.received_at = m.received_at;
  v.summary.size_bytes = m.size_bytes;
  return v;
}

core::Result<mime::Message> parsed(const std::string& raw) {
  return mime::parse(std::string_view(raw));
}
}  // namespace

asio::awaitable<core::Result<std::string>> Service::load(std::string mailbox, std::string id) {
  const auto row_id = parse_message_id(id);
  if (!row_id) co_return not_found();
  auto m = co_await store_.find(mailbox, *row_id, 0);
  if (!m) co_return m.error();
  if (!*m) co_return not_found();
  co_return std::move((*m)->body);
}

asio::awaitable<core::Result<MessageView>> Service::get(std::string mailbox, std::string id,
                                                        BodyPreference prefer) {
  const auto row_id = parse_message_id(id);
  if (!row_id) co_return not_found();
  auto m = co_await store_.find(mailbox, *row_id, 0);
  if (!m) co_return m.error();
  if (!*m) co_return not_found();
  co_return view_of(**m, prefer);
}

asio::awaitable<core::Result<std::string>> Service::raw(std::string mailbox, std::string id) {
  co_return co_await load(std::move(mailbox), std::move(id));
}

asio::awaitable<core::Result<std::vector<InternetHeader>>> Service::headers(std::string mailbox,
                                                                            std::string id) {
  const auto row_id = parse_message_id(id);
  if (!row_id) co_return not_found();
  auto m = co_await store_.find(mailbox, *row_id, opts_.head_bytes);
  if (!m) co_return m.error();
  if (!*m) co_return not_found();
  auto msg = parsed((*m)->body);
  if (!msg) co_return msg.error();
  co_return internet_headers(*msg);
}

asio::awaitable<core::Result<std::vector<Attachment>>> Service::attachments(std::string mailbox,
                                                                            std::string id) {
  auto raw_bytes = co_await load(std::move(mailbox), std::move(id));
  if (!raw_bytes) co_return raw_bytes.error();
  auto msg = parsed(*raw_bytes);
  if (!msg) co_return msg.error();
  co_return list_attachments(*msg);
}

asio::awaitable<core::Result<AttachmentContent>> Service::attachment(std::string mailbox,
                                                                     std::string id,
                                                                     std::string attachment_id) {
  auto raw_bytes = co_await load(std::move(mailbox), std::move(id));
  if (!raw_bytes) co_return raw_bytes.error();
  auto msg = parsed(*raw_bytes);
  if (!msg) co_return msg.error();
  co_return attachment_content(*msg, attachment_id);
}

asio::awaitable<core::Status> Service::remove(std::string mailbox, std::string id) {
  const auto row_id = parse_message_id(id);
  if (!row_id) co_return not_found();
  auto r = co_await store_.remove(mailbox, *row_id);
  if (!r) co_return r.error();
  if (!*r) co_return not_found();
  co_return core::Status{};
}

asio::awaitable<core::Result<std::int64_t>> Service::purge() {
  co_return co_await store_.purge(opts_.token_max_age_s + 3600);
}

}  // namespace smimegw::mailbox
