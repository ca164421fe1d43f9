// http/sync: the Graph-style sync API route table (/v1.0 on the sync listener, ARCHITECTURE §8),
// one row per route in src/http/sync/routes.cpp. POST /v1.0/oauth2/token needs no token; every
// other route needs a sync bearer token (401 otherwise) and acts on the token's user only
// (another user's ids are 404). docs/openapi.yaml lists every row (tests/unit/http/openapi_test).
#pragma once

#include "smimegw/http/router.hpp"
#include "smimegw/http/sync/services.hpp"

namespace smimegw::http::sync {

/// Adds every sync route to `router`; `service` must outlive it.
void add_routes(Router& router, Service& service);

}  // namespace smimegw::http::sync
