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

boost::json::object to_json(const AnchorView& a);
boost::json::object to_json(const ImportItem& i);
boost::json::object to_json(const QueueItemView& q);
boost::json::object to_json(const UserView& u);
boost::json::object to_json(const UserCertificateView& c);

/// 204 No Content.
Response no_content();

}  // namespace smimegw::http::admin
