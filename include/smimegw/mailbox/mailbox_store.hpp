// mailbox: storage interface for the local mailboxes (tables mailbox_messages, mailbox_changes of
// migrations 0004 and 0010). Declared here, implemented by db (src/db/mailbox_store.cpp); includes
// only core.
//
// The change feed is compacted: one entry per (message, mailbox, folder) carrying its latest change
// `seq` and its first one `created_seq`; a database trigger maintains it on every INSERT, visible
// UPDATE and DELETE of mailbox_messages. Within one mailbox seq order is commit order (per-mailbox
// advisory lock in the trigger), so "every entry with seq > cursor" never misses a change that
// commits late. Failure semantics: database problems are `db_unavailable` (transient) / `db_error`.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::mailbox {

/// One entry of the change feed, with the head of the message when it is not removed.
struct ChangeRow {
  std::int64_t seq = 0;          ///< latest change of this entry
  std::int64_t created_seq = 0;  ///< first change (when the message entered the folder)
  std::int64_t message_id = 0;   ///< mailbox_messages.id
  bool removed = false;
  std::int64_t received_at = 0;  ///< Unix seconds (0 when removed)
  std::int64_t size_bytes = 0;
  std::string head;  ///< the first `head_bytes` bytes of the stored MIME ("" when removed)
};

/// A stored (not removed) message.
struct StoredMessage {
  std::int64_t id = 0;
  std::string mailbox;
  std::string folder;
  std::int64_t received_at = 0;  ///< Unix seconds
  std::int64_t size_bytes = 0;
  std::string body;        ///< the MIME bytes, or their first `head_bytes` (see MailboxStore::find)
  std::string smime_json;  ///< the S/MIME status of inbound processing (JSON object), "" when none
  std::string label_id;    ///< sensitivity label GUID (lower-case), "" when none
  bool sealed = false;     ///< body is encrypted to the gateway key and the owner (migration 0011)
};

/// A message stored by the gateway itself (e.g. the Sent Items copy of a sendMail).
struct NewMessage {
  std::string mailbox;  ///< lower-case primary address
  std::string folder;   ///< inbox | sentitems
  std::string queue_id;
  std::string message_id;  ///< the Message-ID header, for tracing
  std::string body;
};

class MailboxStore {
 public:
  virtual ~MailboxStore() = default;
  /// Feed entries of (mailbox, folder) with seq > `after`, in seq order, at most `limit`, each
  /// with the first `head_bytes` bytes of its message.
  virtual boost::asio::awaitable<core::Result<std::vector<ChangeRow>>> changes(
      std::string mailbox, std::string folder, std::int64_t after, int limit, int head_bytes) = 0;
  /// The highest seq ever drawn (0 when none): a cursor above it comes from another database.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> high_water() = 0;
  /// The message `id` if it belongs to `mailbox` and is not removed. `head_bytes` > 0 fetches only
  /// that many bytes of the body; 0 fetches all of it.
  virtual boost::asio::awaitable<core::Result<std::optional<StoredMessage>>> find(
      std::string mailbox, std::int64_t id, int head_bytes) = 0;
  /// Soft-removes the message; false when it is not there (or not this mailbox's).
  virtual boost::asio::awaitable<core::Result<bool>> remove(std::string mailbox,
                                                            std::int64_t id) = 0;
  /// Stores a message and returns its id.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> append(NewMessage msg) = 0;
  /// Deletes messages removed more than `older_than_s` seconds ago and feed tombstones of that
  /// age; returns the number of messages deleted.
  virtual boost::asio::awaitable<core::Result<std::int64_t>> purge(std::int64_t older_than_s) = 0;
};

}  // namespace smimegw::mailbox
