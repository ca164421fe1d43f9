// http/admin (private): the handlers of the admin route table and the JSON shapes they answer
// with. A handler validates the request (validation_failed names the field), calls one service
// and shapes the answer; it never touches storage.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "smimegw/http/admin/services.hpp"
#include "smimegw/http/message.hpp"

namespace smimegw::http::admin {

using Awaitable = boost::asio::awaitable<Response>;

Awaitable trust_import(Services& s, Request& req);
Awaitable trust_list(Services& s, Request& req);
Awaitable trust_enable(Services& s, Request& req);
Awaitable trust_disable(Services& s, Request& req);
Awaitable trust_delete(Services& s, Request& req);

Awaitable queue_list(Services& s, Request& req);
Awaitable queue_get(Services& s, Request& req);
Awaitable queue_retry(Services& s, Request& req);
Awaitable queue_delete(Services& s, Request& req);

Awaitable users_create(Services& s, Request& req);
Awaitable users_get(Services& s, Request& req);
Awaitable users_list(Services& s, Request& req);
Awaitable users_enable(Services& s, Request& req);
Awaitable users_disable(Services& s, Request& req);
Awaitable users_certificates(Services& s, Request& req);

Awaitable certificates_push(Services& s, Request& req);
Awaitable certificates_delete(Services& s, Request& req);

Awaitable groups_list(Services& s, Request& req);
Awaitable groups_create(Services& s, Request& req);
Awaitable groups_get(Services& s, Request& req);
Awaitable groups_delete(Services& s, Request& req);
Awaitable groups_members(Services& s, Request& req);
Awaitable groups_expand(Services& s, Request& req);

Awaitable sync_tokens_list(Services& s, Request& req);
Awaitable sync_tokens_revoke_all(Services& s, Request& req);
Awaitable sync_tokens_revoke(Services& s, Request& req);

Awaitable labels_list(Services& s, Request& req);
Awaitable labels_create(Services& s, Request& req);
Awaitable labels_replace(Services& s, Request& req);
Awaitable labels_get(Services& s, Request& req);
Awaitable labels_patch(Services& s, Request& req);
Awaitable labels_delete(Services& s, Request& req);
Awaitable label_policies_list(Services& s, Request& req);
Awaitable label_policies_create(Services& s, Request& req);
Awaitable label_policies_get(Services& s, Request& req);
Awaitable label_policies_delete(Services& s, Request& req);

Awaitable smime_config_get(Services& s, Request& req);
Awaitable smime_config_patch(Services& s, Request& req);

Awaitable message_trace(Services& s, Request& req);
Awaitable certificates_expiring(Services& s, Request& req);
Awaitable crls_list(Services& s, Request& req);
Awaitable crls_refresh(Services& s, Request& req);

/// The {id} path parameter naming a user (numeric id or address).
core::Result<std::string> user_key(const Request& req);
/// A path parameter of at most `max` bytes, not empty (validation_failed naming it otherwise).
core::Result<std::string> text_param(const Request& req, const std::string& name,
                                     std::size_t max = 254);
/// {"value": items} without paging (short lists).
Response value_response(boost::json::array items);
/// Pages an in-memory array (page.skip, page.top + 1) and answers as page_response.
Response page_of(const boost::json::array& all, const Page& page, const Request& req);
/// The entity tag of a versioned resource: "<prefix><version>", e.g. "catalog-42".
std::string etag(std::string_view prefix, std::int64_t version);
/// `r` with that ETag field.
Response tagged(std::string_view prefix, Response r, std::int64_t version);
/// If-Match (RFC 9110 §13.1.1): absent or "*" (any version), or a list of entity tags of which
/// only strong "<prefix>N" ones can match (a weak tag never does; another tag matches no
/// version). bad_request when it is not such a list.
core::Result<IfMatch> if_match(const Request& req, std::string_view prefix);
/// "admin:<principal>", the audit actor of a request.
std::string actor_of(const Request& req);

boost::json::object to_json(const AnchorView& a);
boost::json::object to_json(const ImportItem& i);
boost::json::object to_json(const QueueItemView& q);
boost::json::object to_json(const UserView& u);
boost::json::object to_json(const UserCertificateView& c);
boost::json::object to_json(const GroupView& g);
boost::json::object to_json(const GroupDetail& g);
boost::json::object to_json(const SyncTokenView& t);
boost::json::object to_json(const ExpiringCertificate& c);
boost::json::object to_json(const CrlView& c);
boost::json::object to_json(const CrlRefreshView& c);

/// 204 No Content.
Response no_content();

}  // namespace smimegw::http::admin
