#include "smimegw/http/sync/routes.hpp"

#include "handlers.hpp"

namespace smimegw::http::sync {

namespace {

struct Row {
  const char* method;
  const char* pattern;
  AuthKind auth;
  Awaitable (*handler)(Service&, Request&);
};

// The sync route table. docs/openapi.yaml describes each row (tests/unit/http/openapi_test.cpp);
// tests/integration/test_sync_api.py sweeps every row for 401 and 404 (isolation).
const Row kRoutes[] = {
    {"POST", "/v1.0/oauth2/token", AuthKind::None, token_grant},
    {"DELETE", "/v1.0/oauth2/token", AuthKind::Sync, token_revoke},
    {"GET", "/v1.0/me/mailFolders/{folder}/messages/delta", AuthKind::Sync, messages_delta},
    {"GET", "/v1.0/me/messages/{id}", AuthKind::Sync, message_get},
    {"GET", "/v1.0/me/messages/{id}/$value", AuthKind::Sync, message_value},
    {"GET", "/v1.0/me/messages/{id}/attachments", AuthKind::Sync, attachments_list},
    {"GET", "/v1.0/me/messages/{id}/attachments/{aid}", AuthKind::Sync, attachment_get},
    {"GET", "/v1.0/me/messages/{id}/attachments/{aid}/$value", AuthKind::Sync, attachment_value},
    {"GET", "/v1.0/me/settings", AuthKind::Sync, settings_get},
    {"PATCH", "/v1.0/me/settings", AuthKind::Sync, settings_patch},
    {"POST", "/v1.0/me/sendMail", AuthKind::Sync, send_mail},
    {"POST", "/v1.0/me/messages/{id}/forward", AuthKind::Sync, message_forward},
    {"POST", "/v1.0/me/messages/{id}/reply", AuthKind::Sync, message_reply},
    {"POST", "/v1.0/me/messages/{id}/replyAll", AuthKind::Sync, message_reply_all},
    {"POST", "/v1.0/me/messages/{id}/attachments/{aid}/installCertificate", AuthKind::Sync,
     attachment_install},
    {"POST", "/v1.0/me/messages/{id}/installSenderCertificate", AuthKind::Sync, sender_install},
    {"GET", "/v1.0/me/certificates", AuthKind::Sync, certificates_list},
    {"POST", "/v1.0/me/certificates", AuthKind::Sync, certificates_import},
    {"DELETE", "/v1.0/me/certificates/{id}", AuthKind::Sync, certificates_delete},
    {"GET", "/v1.0/me/resolveRecipients", AuthKind::Sync, resolve_recipients},
    {"GET", "/v1.0/me/devices", AuthKind::Sync, devices_list},
    {"POST", "/v1.0/me/devices", AuthKind::Sync, devices_enrol},
    {"POST", "/v1.0/me/devices/{id}/certificates", AuthKind::Sync, device_certificates},
    {"DELETE", "/v1.0/me/devices/{id}", AuthKind::Sync, devices_delete},
};

}  // namespace

void add_routes(Router& router, Service& service) {
  for (const auto& row : kRoutes) {
    auto fn = row.handler;
    router.add(Route{row.method, row.pattern, row.auth,
                     [&service, fn](Request& req) { return fn(service, req); }});
  }
}

std::string param(const Request& req, const std::string& name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? std::string() : it->second;
}

std::optional<int> max_page_size(const std::string& prefer) {
  // Prefer: odata.maxpagesize=50, outlook.body-content-type="text"
  constexpr std::string_view key = "odata.maxpagesize=";
  auto pos = prefer.find(key);
  if (pos == std::string::npos) return std::nullopt;
  pos += key.size();
  int v = 0;
  std::size_t digits = 0;
  while (pos < prefer.size() && prefer[pos] >= '0' && prefer[pos] <= '9' && digits < 7) {
    v = v * 10 + (prefer[pos++] - '0');
    ++digits;
  }
  if (digits == 0 || v < 1) return std::nullopt;
  return v;
}

}  // namespace smimegw::http::sync
