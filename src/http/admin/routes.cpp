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
    {"POST", "/admin/v1/users/{id}/certificates", AuthKind::Admin, certificates_push},
    {"DELETE", "/admin/v1/users/{id}/certificates/{certId}", AuthKind::Admin, certificates_delete},
    {"GET", "/admin/v1/users/{id}/sync-tokens", AuthKind::Admin, sync_tokens_list},
    {"DELETE", "/admin/v1/users/{id}/sync-tokens", AuthKind::Admin, sync_tokens_revoke_all},
    {"DELETE", "/admin/v1/users/{id}/sync-tokens/{tokenId}", AuthKind::Admin, sync_tokens_revoke},
    {"GET", "/admin/v1/groups", AuthKind::Admin, groups_list},
    {"POST", "/admin/v1/groups", AuthKind::Admin, groups_create},
    {"GET", "/admin/v1/groups/{id}", AuthKind::Admin, groups_get},
    {"DELETE", "/admin/v1/groups/{id}", AuthKind::Admin, groups_delete},
    {"POST", "/admin/v1/groups/{id}/members", AuthKind::Admin, groups_members},
    {"GET", "/admin/v1/groups/{id}/expand", AuthKind::Admin, groups_expand},
    {"GET", "/admin/v1/labels", AuthKind::Admin, labels_list},
    {"POST", "/admin/v1/labels", AuthKind::Admin, labels_create},
    {"PUT", "/admin/v1/labels", AuthKind::Admin, labels_replace},
    {"GET", "/admin/v1/labels/{id}", AuthKind::Admin, labels_get},
    {"PATCH", "/admin/v1/labels/{id}", AuthKind::Admin, labels_patch},
    {"DELETE", "/admin/v1/labels/{id}", AuthKind::Admin, labels_delete},
    {"GET", "/admin/v1/label-policies", AuthKind::Admin, label_policies_list},
    {"POST", "/admin/v1/label-policies", AuthKind::Admin, label_policies_create},
    {"GET", "/admin/v1/label-policies/{id}", AuthKind::Admin, label_policies_get},
    {"DELETE", "/admin/v1/label-policies/{id}", AuthKind::Admin, label_policies_delete},
    {"GET", "/admin/v1/smime-config", AuthKind::Admin, smime_config_get},
    {"PATCH", "/admin/v1/smime-config", AuthKind::Admin, smime_config_patch},
    {"GET", "/admin/v1/messages/{id}/trace", AuthKind::Admin, message_trace},
    {"GET", "/admin/v1/certificates/expiring", AuthKind::Admin, certificates_expiring},
    {"GET", "/admin/v1/crls", AuthKind::Admin, crls_list},
    {"POST", "/admin/v1/crls/refresh", AuthKind::Admin, crls_refresh},
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
