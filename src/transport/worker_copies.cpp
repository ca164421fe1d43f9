// transport: Worker — the processed copies of a message with a plan. A copy is made by the
// outbound steps once; when one of its recipients is deferred it is stored (queue_copies) before
// the retry is recorded, and later attempts re-send the stored bytes instead of signing and
// encrypting again (a dead next hop costs a delivery attempt, not a private-key operation).
// Failure semantics: a copy that cannot be stored is made again by the next attempt (logged);
// stored copies that cannot be read defer the attempt (the database is unavailable). A message
// with a plan is never delivered as queued.
#include <map>

#include "smimegw/core/address.hpp"
#include "smimegw/obs/log.hpp"
#include "smimegw/transport/worker.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

namespace {

// The stored copies (by id) as OutboundCopy values naming the recipients that get them; the
// addresses whose copy is not stored (or gone) go to `fresh`.
std::vector<OutboundCopy> stored_copies(const std::vector<ClaimedRecipient>& rcpts,
                                        std::map<std::int64_t, std::string>& bodies,
                                        std::vector<std::string>& fresh) {
  std::map<std::int64_t, OutboundCopy> by_id;
  for (const auto& r : rcpts) {
    auto it = r.copy_id != 0 ? bodies.find(r.copy_id) : bodies.end();
    if (it == bodies.end()) {
      fresh.push_back(core::ascii_lower(r.address));
      continue;
    }
    auto& c = by_id[r.copy_id];
    c.stored_id = r.copy_id;
    c.recipients.push_back(core::ascii_lower(r.address));
  }
  std::vector<OutboundCopy> out;
  for (auto& [id, c] : by_id) {
    c.body = std::move(bodies[id]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

bool Worker::will_retry(const ClaimedRecipient& r, const RelayResult& result) const {
  if (result.delivered || result.permanent) return false;
  return std::chrono::system_clock::now() - r.received_at < opts_.max_age;
}

asio::awaitable<core::Result<std::vector<OutboundCopy>>> Worker::outbound_copies(
    const QueuedMessage& m, const std::vector<ClaimedRecipient>& rcpts) {
  std::vector<std::int64_t> ids;
  for (const auto& r : rcpts)
    if (r.copy_id != 0) ids.push_back(r.copy_id);
  std::map<std::int64_t, std::string> bodies;
  if (!ids.empty()) {
    auto loaded = co_await queue_.load_copies(std::move(ids));
    if (!loaded) co_return core::Error::transient(loaded.error().code, loaded.error().message);
    bodies = std::move(*loaded);
  }
  std::vector<std::string> fresh;
  // Stored copies first: they list their recipients, so copy_for finds them before a fresh
  // copy without a list (one that is everyone's).
  auto copies = stored_copies(rcpts, bodies, fresh);
  if (fresh.empty()) co_return copies;
  core::Result<std::vector<OutboundCopy>> made =
      core::Error::transient("outbound_unavailable", "outbound processing is not configured");
  if (outbound_) made = co_await outbound_->process(m, std::move(fresh));
  if (!made) co_return made.error();
  for (auto& c : *made) copies.push_back(std::move(c));
  co_return copies;
}

asio::awaitable<void> Worker::keep_copies(const QueuedMessage& m, std::vector<OutboundCopy>& copies,
                                          const std::vector<Outcome>& outcomes) {
  std::map<std::size_t, std::vector<std::int64_t>> deferred;  // copy index -> recipient rows
  for (const auto& o : outcomes)
    if (o.copy < copies.size() && copies[o.copy].stored_id == 0 && will_retry(*o.rcpt, o.result))
      deferred[o.copy].push_back(o.rcpt->id);
  auto log = obs::logger("transport");
  for (auto& [index, rows] : deferred) {
    auto n = rows.size();
    auto id = co_await queue_.store_copy(opts_.owner, m.row, copies[index].body, std::move(rows));
    if (!id) {
      obs::log(*log, spdlog::level::warn, "copy_store_failed",
               {{"queue_id", m.queue_id}, {"error", id.error().code}});
      continue;
    }
    copies[index].stored_id = *id;
    obs::log(*log, spdlog::level::info, "copy_stored",
             {{"queue_id", m.queue_id},
              {"copy_id", std::to_string(*id)},
              {"rcpts", std::to_string(n)},
              {"bytes", std::to_string(copies[index].body.size())}});
  }
}

}  // namespace smimegw::transport
