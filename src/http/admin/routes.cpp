#include "smimegw/http/admin/routes.hpp"

#include "handlers.hpp"

namespace smimegw::http::admin {

namespace {

struct Row {
  const char* method;
  const char* pattern;
  AuthKind auth;
  Awaitable (*handler)(Services&, Request&);
};

// The admin route table. docs/openapi.yaml describes each row (tests/unit/http/openapi_test.cpp).
const Row kRoutes[] = {
    {"GET", "/admin/v1/trust-anchors", AuthKind::Admin, trust_list},
    {"POST", "/admin/v1/trust-anchors", AuthKind::Admin, trust_import},
    {"POST", "/admin/v1/trust-anchors/{id}/enable", AuthKind::Admin, trust_enable},
    {"POST", "/admin/v1/trust-anchors/{id}/disable", AuthKind::Admin, trust_disable},
    {"DELETE", "/admin/v1/trust-anchors/{id}", AuthKind::Admin, trust_delete},
    {"GET", "/admin/v1/queue", AuthKind::Admin, queue_list},
    {"GET", "/admin/v1/queue/{id}", AuthKind::Admin, queue_get},
    {"POST", "/admin/v1/queue/{id}/retry", AuthKind::Admin, queue_retry},
    {"DELETE", "/admin/v1/queue/{id}", AuthKind::Admin, queue_delete},
    {"POST", "/admin/v1/users", AuthKind::Admin, users_create},
    {"GET", "/admin/v1/users", AuthKind::Admin, users_list},
    {"GET", "/admin/v1/users/{id}", AuthKind::Admin, users_get},
    {"POST", "/admin/v1/users/{id}/enable", AuthKind::Admin, users_enable},
    {"POST", "/admin/v1/users/{id}/disable", AuthKind::Admin, users_disable},
    {"GET", "/admin/v1/users/{id}/certificates", AuthKind::Admin, users_certificates},
};

}  // namespace

void add_routes(Router& router, Services& services) {
  for (const auto& row : kRoutes) {
    auto fn = row.handler;
    router.add(Route{row.method, row.pattern, row.auth,
                     [&services, fn](Request& req) { return fn(services, req); }});
  }
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace smimegw::http::admin
