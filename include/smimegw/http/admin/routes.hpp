// http/admin: the admin API route table (/admin/v1, ARCHITECTURE §8), one row per route in
// src/http/admin/routes.cpp: method, pattern, auth kind, handler. Every route requires an admin
// bearer token (401 otherwise). Adding a route is one row there plus its handler; docs/openapi.yaml
// must list it too (a unit test compares the two). JSON field names are camelCase.
#pragma once

#include "smimegw/http/admin/services.hpp"
#include "smimegw/http/router.hpp"

namespace smimegw::http::admin {

/// Adds every admin route to `router`; `services` must outlive it.
void add_routes(Router& router, Services& services);

}  // namespace smimegw::http::admin
