// mailbox: delta sync over the change feed (service.hpp).
#include <algorithm>
#include <chrono>

#include "smimegw/mailbox/ids.hpp"
#include "smimegw/mailbox/service.hpp"
#include "smimegw/mime/parser.hpp"

namespace smimegw::mailbox {

namespace asio = boost::asio;

namespace {
std::int64_t unix_now(const core::Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

core::Error resync(const std::string& why) {
  return core::Error::make("resync_required", "the sync state is not valid (" + why +
                                                  "); start a new sync without a token");
}

Summary summary_of(const ChangeRow& row, const std::string& folder, int head_bytes) {
  Summary s;
  auto msg = mime::parse(std::string_view(row.head));
  if (msg) {
    SummaryLimits limits;
    limits.truncated = row.size_bytes > static_cast<std::int64_t>(row.head.size()) &&
                       row.head.size() >= static_cast<std::size_t>(head_bytes);
    s = summarize(*msg, limits);
  }
  // a head the parser refuses (a limit) still shows up, with what the store knows
  s.id = message_id_string(row.message_id);
  s.folder = folder;
  s.received_at = row.received_at;
  s.size_bytes = row.size_bytes;
  return s;
}
}  // namespace

core::Result<SyncPosition> Service::position(const std::string& token, const std::string& mailbox,
                                             std::string_view folder) const {
  auto pos = codec_.decode(token, mailbox, folder);
  if (!pos) return pos;
  const auto now = unix_now(clock_);
  if (pos->issued_at + opts_.token_max_age_s < now) return resync("the token has expired");
  return pos;
}

DeltaPage Service::page(const std::vector<ChangeRow>& rows, std::int64_t cursor, int limit,
                        const std::string& mailbox, std::string_view folder) const {
  DeltaPage out;
  const std::string fname(folder);
  out.more = rows.size() > static_cast<std::size_t>(limit);
  const std::size_t n = std::min(rows.size(), static_cast<std::size_t>(limit));
  out.changes.reserve(n);
  std::int64_t next = cursor;
  for (std::size_t i = 0; i < n; ++i) {
    const ChangeRow& row = rows[i];
    next = row.seq;
    if (row.removed) {
      // entered the folder after the client's position: the client cannot have seen it
      if (row.created_seq > cursor) continue;
      Change c;
      c.removed = true;
      c.summary.id = message_id_string(row.message_id);
      c.summary.folder = fname;
      out.changes.push_back(std::move(c));
      continue;
    }
    out.changes.push_back(Change{false, summary_of(row, fname, opts_.head_bytes)});
  }
  SyncPosition pos;
  pos.kind = out.more ? TokenKind::Next : TokenKind::Delta;
  pos.cursor = next;
  pos.issued_at = unix_now(clock_);
  out.token = codec_.encode(mailbox, folder, pos);
  return out;
}

asio::awaitable<core::Result<DeltaPage>> Service::delta(std::string mailbox, Folder folder,
                                                        std::optional<std::string> token,
                                                        std::optional<int> page_size) {
  const std::string_view fname = folder_name(folder);
  std::int64_t cursor = 0;
  if (token) {
    auto pos = position(*token, mailbox, fname);
    if (!pos) co_return pos.error();
    cursor = pos->cursor;
  }
  int limit = page_size.value_or(opts_.default_page_size);
  limit = std::clamp(limit, 1, std::max(1, opts_.max_page_size));
  auto rows =
      co_await store_.changes(mailbox, std::string(fname), cursor, limit + 1, opts_.head_bytes);
  if (!rows) co_return rows.error();
  if (rows->empty() && cursor > 0) {
    // a cursor past everything this database ever numbered comes from another database (or one
    // restored from an older backup): the client's state cannot be continued here
    auto high = co_await store_.high_water();
    if (!high) co_return high.error();
    if (cursor > *high) co_return resync("the token is ahead of this mailbox store");
  }
  co_return page(*rows, cursor, limit, mailbox, fname);
}

}  // namespace smimegw::mailbox
