// http/sync (private): the handlers of the sync route table. A handler validates the request
// (validation_failed names the field), calls the service for the caller (req.principal is the
// token's user address) and shapes the answer.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "smimegw/http/message.hpp"
#include "smimegw/http/sync/services.hpp"

namespace smimegw::http::sync {

using Awaitable = boost::asio::awaitable<Response>;

Awaitable token_grant(Service& s, Request& req);
Awaitable token_revoke(Service& s, Request& req);

Awaitable messages_delta(Service& s, Request& req);
Awaitable message_get(Service& s, Request& req);
Awaitable message_value(Service& s, Request& req);
Awaitable attachments_list(Service& s, Request& req);
Awaitable attachment_get(Service& s, Request& req);
Awaitable attachment_value(Service& s, Request& req);

Awaitable settings_get(Service& s, Request& req);
Awaitable settings_patch(Service& s, Request& req);
Awaitable send_mail(Service& s, Request& req);

Awaitable certificates_list(Service& s, Request& req);
Awaitable certificates_delete(Service& s, Request& req);
Awaitable certificates_import(Service& s, Request& req);
Awaitable attachment_install(Service& s, Request& req);
Awaitable sender_install(Service& s, Request& req);

Awaitable message_forward(Service& s, Request& req);
Awaitable message_reply(Service& s, Request& req);
Awaitable message_reply_all(Service& s, Request& req);

Awaitable resolve_recipients(Service& s, Request& req);

Awaitable devices_list(Service& s, Request& req);
Awaitable devices_enrol(Service& s, Request& req);
Awaitable device_certificates(Service& s, Request& req);
Awaitable devices_delete(Service& s, Request& req);

/// 422 policyRefused with one {address, reason} per "address: reason" line of the refusal.
Response refused_response(const core::Error& e);

/// Graph's Prefer: odata.maxpagesize=N (nullopt when absent or malformed).
std::optional<int> max_page_size(const std::string& prefer);
/// The value of a path parameter ("" when absent).
std::string param(const Request& req, const std::string& name);

}  // namespace smimegw::http::sync
