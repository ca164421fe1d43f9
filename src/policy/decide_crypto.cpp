// policy: sign/encrypt part of the outbound decision (decision.hpp).
#include "decide_steps.hpp"

namespace smimegw::policy::detail {
namespace {

std::optional<bool> request(const std::optional<std::string>& header, const char* name,
                            Decision& d) {
  if (!header) return std::nullopt;
  auto v = parse_request_flag(*header);
  if (!v)
    d.warnings.push_back(
        {"request_header_invalid", std::string(name) + " is neither yes nor no; ignored"});
  return v;
}

void ignored(const char* name, const std::string& why, Decision& d) {
  d.warnings.push_back({"request_ignored", std::string(name) + ": no ignored: " + why});
}

// One of sign/encrypt: `forced` names the reason that cannot be turned off ("" = none).
void choose(bool already, const char* already_reason, const std::string& forced,
            std::optional<bool> req, const char* req_name, bool rule, bool rule_changeable,
            const char* rule_reason, bool& on, std::string& reason, Decision& d) {
  on = false;
  if (already) {
    reason = already_reason;
  } else if (!forced.empty()) {
    on = true;
    reason = forced;
    if (req == false) ignored(req_name, forced + " applies", d);
  } else if (req == true) {
    on = true;
    reason = "client_request";
  } else if (rule && req == false && rule_changeable) {
    reason = "client_declined";
  } else if (rule) {
    on = true;
    reason = rule_reason;
    if (req == false) ignored(req_name, "the administrator does not allow turning it off", d);
  } else {
    reason = "none";
  }
}

}  // namespace

void crypto(const Facts& f, Decision& d) {
  const auto rules = effective_rules(f.settings, f.user_settings);
  const auto sign_req = request(f.request_sign, "X-Smimegw-Sign", d);
  const auto enc_req = request(f.request_encrypt, "X-Smimegw-Encrypt", d);
  const bool protected_label = d.label && d.label->protection == Protection::encrypt;

  choose(f.client_signed, "client_signed",
         rules.sign_source == RuleSource::organization ? "always_sign" : "", sign_req,
         "X-Smimegw-Sign", rules.sign, rules.sign_user_changeable, "user_sign_all", d.sign,
         d.sign_reason, d);
  std::string forced = protected_label                                    ? "label_protection"
                       : rules.encrypt_source == RuleSource::organization ? "always_encrypt"
                                                                          : "";
  choose(f.client_encrypted, "client_encrypted", forced, enc_req, "X-Smimegw-Encrypt",
         rules.encrypt, rules.encrypt_user_changeable, "user_encrypt_all", d.encrypt,
         d.encrypt_reason, d);

  d.include_gateway_key = protected_label && d.encrypt;
  if (protected_label && f.client_encrypted)
    d.warnings.push_back({"gateway_key_missing",
                          "the client encrypted the protected message itself; the gateway cannot "
                          "decrypt it for authorised users"});
  d.encryption_algorithm = f.settings.encryption_algorithm;
  d.signing_algorithm = f.settings.signing_algorithm;
  d.include_chain = f.settings.include_chain;
  d.one_copy_per_bcc = f.settings.one_copy_per_bcc;
}

}  // namespace smimegw::policy::detail
