// transport: the plan — what the intake decided before 250 for an outbound message, stored with
// it (queue_messages.plan, JSON) and carried out by the outbound step after commit
// (outbound.hpp). Deciding first and doing later keeps ARCHITECTURE invariant 6: every refusal
// happens in the SMTP transaction (or the sendMail call), and the CMS work runs in workers.
//
// The plan holds the certificates chosen for encryption (DER), so the worker encrypts to exactly
// what was validated at intake; the signing certificate is named by thumbprint (its key stays in
// the vault).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::transport {

struct PlanCertificate {
  std::string address;  ///< recipient (lower-case); the sender's own for role "sender"
  std::string role;     ///< recipient | sender | gateway
  std::string source;   ///< gal | installed | ldap:<endpoint> | gateway
  std::string thumbprint;
  std::vector<std::uint8_t> der;
  bool bcc = false;  ///< the recipient is a Bcc recipient with a copy of its own
};

struct Plan {
  int version = 1;
  std::string sender;  ///< authenticated sender, lower-case
  std::string sender_name;
  // label
  std::string label_id;  ///< "" = none
  std::string label_name;
  std::string marking_header;
  std::string marking_footer;
  bool set_msip = false;  ///< write msip_labels (value below; "" = remove the field)
  std::string msip_labels;
  // signing
  bool sign = false;
  std::string sign_thumbprint;  ///< the certificate validated at intake
  std::string digest = "sha256";
  std::string include_chain = "withoutRoot";
  // encryption
  bool encrypt = false;
  std::string cipher = "aes-256-cbc";
  bool one_copy_per_bcc = true;
  std::vector<PlanCertificate> certificates;
  std::vector<std::string> bcc;  ///< envelope recipients not named in To/Cc (lower-case)
};

std::string to_json(const Plan& plan);
/// Errors: plan_invalid (not JSON, wrong shape, bad base64).
core::Result<Plan> plan_from_json(std::string_view json);

}  // namespace smimegw::transport
