// mailbox — the mailbox store service behind the Graph-style sync API (ARCHITECTURE §3, §8).
//
// Owns: delta sync over the change feed (pages of added/updated summaries and @removed ids, a
// next-page token or a final delta token), message reads scoped to the caller's mailbox (summary,
// body, attachments, the MIME bytes), soft removal, and the purge of old removals.
// Flow: http sync handler → Service → MailboxStore (db) ; summaries are parsed here from the head
// of the stored MIME (content.hpp), tokens are checked here (token.hpp). Failure semantics
// (core::Error codes):
//   resync_required  the delta token is malformed, tampered with, for another mailbox/folder or
//                    key, older than `token_max_age_s`, or ahead of this database's feed
//                    (Graph: 410 resyncRequired — start again without a token)
//   not_found        no such message in THIS mailbox (another user's id is indistinguishable from
//                    a missing one), or no such attachment
//   db_unavailable / db_error from the store.
// Delta contract: within one mailbox and folder every change is reported exactly once per round of
// pages, in commit order; a message delivered or removed between two pages appears in a later page
// or the next round, never twice in one and never lost (the feed's ordering guarantee:
// mailbox_store.hpp). A removal is reported only when the client may have seen the message (it
// existed before the token's position). Graph semantics:
// https://learn.microsoft.com/graph/delta-query-messages Coroutines: called on the event loop;
// summaries are parsed there (bounded: `head_bytes` per message, `max_page_size` messages per
// page).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/mailbox/content.hpp"
#include "smimegw/mailbox/folder.hpp"
#include "smimegw/mailbox/mailbox_store.hpp"
#include "smimegw/mailbox/message.hpp"
#include "smimegw/mailbox/token.hpp"

namespace smimegw::mailbox {

struct ServiceOptions {
  int default_page_size = 10;                 ///< without Prefer: odata.maxpagesize (Graph: 10)
  int max_page_size = 1000;                   ///< cap of a requested page size
  std::int64_t token_max_age_s = 30 * 86400;  ///< older tokens → resync_required
  int head_bytes = 64 * 1024;                 ///< bytes of a message read for its summary
};

/// One entry of a delta page.
struct Change {
  bool removed = false;  ///< @removed {reason: deleted}; only `summary.id` is set then
  Summary summary;
};

struct DeltaPage {
  std::vector<Change> changes;
  std::string token;  ///< for @odata.nextLink when `more`, else for @odata.deltaLink
  bool more = false;
};

class Service {
 public:
  Service(MailboxStore& store, TokenCodec codec, const core::Clock& clock, ServiceOptions opts)
      : store_(store), codec_(std::move(codec)), clock_(clock), opts_(opts) {}

  /// One page of changes of `mailbox`/`folder` after `token` (none: the initial round). The page
  /// holds at most `page_size` entries (absent → default, capped at max_page_size, at least 1).
  boost::asio::awaitable<core::Result<DeltaPage>> delta(std::string mailbox, Folder folder,
                                                        std::optional<std::string> token,
                                                        std::optional<int> page_size);
  /// Summary and body of message `id` of `mailbox`.
  boost::asio::awaitable<core::Result<MessageView>> get(std::string mailbox, std::string id,
                                                        BodyPreference prefer);
  /// The stored MIME bytes.
  boost::asio::awaitable<core::Result<std::string>> raw(std::string mailbox, std::string id);
  /// Top-level header fields (internetMessageHeaders).
  boost::asio::awaitable<core::Result<std::vector<InternetHeader>>> headers(std::string mailbox,
                                                                            std::string id);
  boost::asio::awaitable<core::Result<std::vector<Attachment>>> attachments(std::string mailbox,
                                                                            std::string id);
  boost::asio::awaitable<core::Result<AttachmentContent>> attachment(std::string mailbox,
                                                                     std::string id,
                                                                     std::string attachment_id);
  /// Soft-removes the message (the next delta reports it @removed).
  boost::asio::awaitable<core::Status> remove(std::string mailbox, std::string id);
  /// Deletes removals (messages and feed tombstones) older than token_max_age_s plus one hour, so
  /// no token that is still accepted can be behind a forgotten removal. Returns messages deleted.
  boost::asio::awaitable<core::Result<std::int64_t>> purge();

  const ServiceOptions& options() const { return opts_; }

 private:
  boost::asio::awaitable<core::Result<std::string>> load(std::string mailbox, std::string id);
  core::Result<SyncPosition> position(const std::string& token, const std::string& mailbox,
                                      std::string_view folder) const;
  DeltaPage page(const std::vector<ChangeRow>& rows, std::int64_t cursor, int limit,
                 const std::string& mailbox, std::string_view folder) const;

  MailboxStore& store_;
  TokenCodec codec_;
  const core::Clock& clock_;
  ServiceOptions opts_;
};

}  // namespace smimegw::mailbox
