#include "smimegw/http/errors.hpp"

namespace smimegw::http {

const std::vector<ErrorRow>& error_table() {
  static const std::vector<ErrorRow> rows = {
      // request shape
      {"bad_request", 400, "bad_request", ""},
      {"invalid_json", 400, "invalid_json", ""},
      {"validation_failed", 400, "validation_failed", ""},
      {"malformed", 400, "malformed", ""},              // trust import: not a certificate file
      {"no_certificates", 400, "no_certificates", ""},  // trust import: no certificate in it
      {"bad_address", 400, "validation_failed", ""},
      {"invalid_field", 400, "validation_failed", ""},
      // certificates (PKCS#12 decoding and import checks; the admin API's pushes)
      {"wrong_password", 400, "wrong_password", ""},
      {"mac_mismatch", 400, "mac_mismatch", ""},
      {"unsupported_algorithm", 400, "unsupported_algorithm", ""},
      {"limit_exceeded", 400, "limit_exceeded", ""},
      {"malformed_certificate", 400, "malformed_certificate", ""},
      {"address_mismatch", 400, "address_mismatch", ""},
      {"no_smime_usage", 400, "no_smime_usage", ""},
      {"key_mismatch", 400, "key_mismatch", ""},
      {"no_keys", 400, "no_keys", ""},
      {"untrusted", 400, "untrusted", ""},
      // groups
      {"group_not_found", 404, "not_found", ""},
      {"bad_member", 400, "bad_member", ""},
      {"not_a_member", 400, "not_a_member", ""},
      {"unauthorized", 401, "unauthorized", ""},
      {"forbidden", 403, "forbidden", ""},
      // sync API (/v1.0)
      {"content_expired", 403, "contentExpired", ""},
      {"change_not_allowed", 403, "changeNotAllowed", ""},
      {"smime_disabled", 403, "smimeDisabled", ""},
      {"send_as_denied", 403, "sendAsDenied", ""},
      {"rights_denied", 403, "rightsDenied", ""},     // the label's rights forbid it
      {"not_own_message", 403, "notOwnMessage", ""},  // installCertificate: not from oneself
      {"user_trust_not_allowed", 403, "userTrustNotAllowed", ""},
      {"not_pkcs12", 400, "notPkcs12", ""},
      {"not_signed", 400, "notSigned", ""},
      {"untrusted_certificate", 422, "untrustedCertificate", ""},
      {"invalid_certificate", 422, "invalidCertificate", ""},
      {"weak_password", 400, "weakPassword", ""},  // PKCS#12 export: password too short
      {"resync_required", 410, "resyncRequired", ""},
      {"invalid_grant", 400, "invalid_grant", ""},
      {"auth_required", 401, "unauthorized", ""},
      {"not_found", 404, "not_found", ""},
      {"method_not_allowed", 405, "method_not_allowed", ""},
      {"request_timeout", 408, "request_timeout", ""},
      {"conflict", 409, "conflict", ""},
      {"db_duplicate", 409, "conflict", ""},
      {"precondition_failed", 412, "precondition_failed", ""},  // If-Match does not hold
      {"payload_too_large", 413, "payload_too_large", ""},
      {"too_large", 413, "payload_too_large", ""},
      {"unsupported_media_type", 415, "unsupported_media_type", ""},
      {"rate_limited", 429, "rate_limited", ""},
      {"header_too_large", 431, "header_too_large", ""},
      // server side: details are logged, never sent
      {"internal_error", 500, "internal_error", "internal error"},
      {"db_error", 500, "internal_error", "internal error"},
      {"db_unavailable", 503, "service_unavailable", "database unavailable, retry later"},
      {"kek_missing", 503, "kek_missing", ""},
      {"kek_mismatch", 503, "kek_mismatch", ""},  // keys rotate ran, the restart is pending
      {"too_many_connections", 503, "too_many_connections", ""},
      {"unseal_failed", 500, "internal_error", "the message could not be opened"},
  };
  return rows;
}

const ErrorRow& error_row(std::string_view code) {
  const auto& rows = error_table();
  for (const auto& r : rows)
    if (r.code == code) return r;
  static const ErrorRow internal{"internal_error", 500, "internal_error", "internal error"};
  return internal;
}

Response error_from(const core::Error& e) {
  const auto& row = error_row(e.code);
  std::string message = row.fixed_message.empty() ? e.message : std::string(row.fixed_message);
  auto resp = error_response(row.status, std::string(row.public_code), message);
  if (!row.fixed_message.empty()) resp.log_detail = e.code + ": " + e.message;
  return resp;
}

Response problem(std::string code, std::string message) {
  return error_from(core::Error::make(std::move(code), std::move(message)));
}

}  // namespace smimegw::http
