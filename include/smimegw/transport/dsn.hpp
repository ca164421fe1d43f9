// transport: delivery status notifications (RFC 3464 multipart/report; RFC 3461 NOTIFY/RET/ENVID/
// ORCPT). A DSN goes from the null sender to the original envelope sender and is never generated
// for a message whose sender is null (RFC 5321 §4.5.5), nor when NOTIFY says NEVER.
//   failure  (action=failed)            unless NOTIFY is given without FAILURE
//   delay    (action=delayed)           once per recipient after queue.delay_dsn_after_s, when
//                                       NOTIFY lists DELAY or is absent (default FAILURE,DELAY)
//   success  (action=delivered|relayed) only for NOTIFY=SUCCESS: "delivered" for the local mailbox,
//                                       "relayed" to a next hop without DSN (RFC 3461 §4.2; a hop
//                                       with DSN gets NOTIFY passed on and reports itself)
// Failure DSNs return the message (headers only with RET=HDRS); delay and success DSNs return the
// headers only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smimegw/transport/queue_store.hpp"

namespace smimegw::transport {

/// NOTIFY bits as in core::Recipient.
constexpr unsigned kNotifySuccess = 1, kNotifyFailure = 2, kNotifyDelay = 4, kNotifyNever = 8;

/// Whether a failure DSN is wanted for a recipient with `notify` of a message from `mail_from`.
bool failure_dsn_wanted(const std::string& mail_from, unsigned notify);
/// Whether a delay DSN is wanted (NOTIFY absent or listing DELAY).
bool delay_dsn_wanted(const std::string& mail_from, unsigned notify);
/// Whether a success DSN is wanted (NOTIFY lists SUCCESS).
bool success_dsn_wanted(const std::string& mail_from, unsigned notify);

struct DsnContext {
  std::string reporting_host;  ///< organization.hostname
  std::string organization;
};

enum class DsnKind { Failure, Delay, Success };

/// Builds a DSN message (CRLF, 7-bit) about `rcpts` of `original`; each recipient's `action`
/// goes into its per-recipient fields. `retry_until` is the Will-Retry-Until of a delay DSN.
NewMessage build_dsn(const QueuedMessage& original, const std::vector<FailedRecipient>& rcpts,
                     const DsnContext& ctx, DsnKind kind,
                     std::optional<TimePoint> retry_until = std::nullopt);

/// Builds the failure DSN message for `failed` recipients of `original`.
NewMessage build_failure_dsn(const QueuedMessage& original,
                             const std::vector<FailedRecipient>& failed, const DsnContext& ctx);

/// "4.4.1" from "451 4.4.1 text", or a default by class.
std::string enhanced_status_of(const std::string& reply, bool permanent);

}  // namespace smimegw::transport
