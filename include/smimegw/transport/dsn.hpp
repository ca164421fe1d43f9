// transport: delivery status notifications (RFC 3464 multipart/report; RFC 3461 NOTIFY/RET/ENVID/
// ORCPT). A DSN goes from the null sender to the original envelope sender and is never generated
// for a message whose sender is null (RFC 5321 §4.5.5), nor when NOTIFY says NEVER or omits
// FAILURE.
#pragma once

#include <string>
#include <vector>

#include "smimegw/transport/queue_store.hpp"

namespace smimegw::transport {

/// NOTIFY bits as in core::Recipient.
constexpr unsigned kNotifySuccess = 1, kNotifyFailure = 2, kNotifyDelay = 4, kNotifyNever = 8;

/// Whether a failure DSN is wanted for a recipient with `notify` of a message from `mail_from`.
bool failure_dsn_wanted(const std::string& mail_from, unsigned notify);

struct DsnContext {
  std::string reporting_host;  ///< organization.hostname
  std::string organization;
};

/// Builds the failure DSN message (CRLF, 7-bit) for `failed` recipients of `original`.
NewMessage build_failure_dsn(const QueuedMessage& original,
                             const std::vector<FailedRecipient>& failed, const DsnContext& ctx);

/// "4.4.1" from "451 4.4.1 text", or a default by class.
std::string enhanced_status_of(const std::string& reply, bool permanent);

}  // namespace smimegw::transport
