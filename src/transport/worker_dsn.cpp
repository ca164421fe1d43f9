// transport: Worker — DSNs that came due (failed recipients, and delivered/relayed ones with
// NOTIFY=SUCCESS): one failure DSN and one success DSN per message at most, each enqueued in the
// same transaction that marks its recipients' DSN sent.
#include "smimegw/obs/log.hpp"
#include "smimegw/transport/worker.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;

namespace {

void log_dsn(const DsnDue& d, const char* kind, const std::optional<NewMessage>& dsn,
             const core::Status& st, size_t n) {
  auto log = obs::logger("transport");
  obs::log(*log, st ? spdlog::level::info : spdlog::level::warn, "dsn",
           {{"queue_id", d.message.queue_id},
            {"kind", kind},
            {"to", d.message.mail_from},
            {"dsn_queue_id", dsn ? dsn->queue_id : ""},
            {"rcpts", std::to_string(n)}});
}

/// Splits the due recipients of one message into failure and success reports.
std::pair<DsnDue, DsnDue> split_by_kind(const DsnDue& d) {
  DsnDue failed{d.message, {}}, success{d.message, {}};
  for (const auto& r : d.failed) (r.action == "failed" ? failed : success).failed.push_back(r);
  return {failed, success};
}

}  // namespace

std::optional<NewMessage> Worker::dsn_for(const DsnDue& d, DsnKind kind) const {
  if (d.message.mail_from.empty()) return std::nullopt;
  auto dsn = build_dsn(d.message, d.failed, opts_.dsn, kind);
  if (is_local(d.message.mail_from)) dsn.recipients[0].route = Route::Local;
  return dsn;
}

asio::awaitable<int> Worker::send_dsns() {
  auto due = co_await queue_.claim_dsn(opts_.owner, 8);
  if (!due) co_return 0;
  int n = 0;
  for (auto& d : *due) {
    auto parts = split_by_kind(d);
    for (int i = 0; i < 2; ++i) {
      const DsnDue& part = i == 0 ? parts.first : parts.second;
      if (part.failed.empty()) continue;
      std::vector<std::int64_t> ids;
      for (const auto& f : part.failed) ids.push_back(f.id);
      auto dsn = dsn_for(part, i == 0 ? DsnKind::Failure : DsnKind::Success);
      auto st = co_await queue_.complete_dsn(ids, dsn);
      log_dsn(part, i == 0 ? "failure" : "success", dsn, st, ids.size());
      n += static_cast<int>(ids.size());
    }
  }
  co_return n;
}

}  // namespace smimegw::transport
