// policy: the outbound policy decision, a pure function from facts about one submitted message to
// what transport must do with it (ARCHITECTURE §2.6: decided before 250). No I/O, no clock, no
// randomness: the caller passes the time and a fresh ActionId.
//
// Label choice (documented in docs/labels.md):
//  1. The message's own label is the highest-priority enabled label of our tenant in its
//     msip_labels header that the catalog knows (unknown ids and other tenants' labels are
//     ignored for the choice; other tenants' entries are re-emitted unchanged).
//  2. Its own label must be published to the sender. If it is not: when the sender's default label
//     is at least as sensitive it replaces it (warning label_replaced_by_default); when an
//     inherited label is at least as sensitive, that one applies; otherwise the message is refused
//     with label_not_published (a classification the sender asked for is never silently dropped
//     or downgraded).
//  3. Inheritance: of the own label and the labels of the messages it answers (the caller finds
//     them through In-Reply-To/References), the highest priority wins (an inherited label need not
//     be published to the sender: the label stays with the conversation).
//  4. Still none: the policy default label (Method=Standard); none and labelling mandatory: refused
//     with label_required.
// Then scope (internal_only_external_recipient, domain_not_in_scope per recipient), marking, the
// msip_labels header, signing and encryption (see Decision::sign_reason / encrypt_reason).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/policy/label.hpp"
#include "smimegw/policy/msip_labels.hpp"
#include "smimegw/policy/smime_settings.hpp"

namespace smimegw::policy {

struct RecipientFact {
  std::string address;    ///< as given in RCPT TO (reported back in refusals)
  std::string domain;     ///< lower-case
  bool internal = false;  ///< domain is one of the organisation's accepted domains
  bool bcc = false;
};

struct Facts {
  std::string tenant_id;  ///< organization.tenant_id: our SiteId (lower-case GUID)
  std::chrono::system_clock::time_point now;
  std::string action_id;          ///< a fresh GUID for a label change (the caller generates it)
  std::string sender;             ///< the authenticated sender's address
  std::string sender_name;        ///< display name for ${User.Name}; "" = the address
  EffectivePolicy sender_policy;  ///< effective_policy() for the sender
  std::optional<std::string> msip_labels;  ///< the message's header value, if any (unfolded or not)
  std::vector<std::string> parent_label_ids;  ///< labels of the messages it answers
  std::vector<RecipientFact> recipients;
  SmimeSettings settings;
  std::optional<UserSmimeSettings> user_settings;
  std::optional<std::string> request_sign;     ///< X-Smimegw-Sign value, if present
  std::optional<std::string> request_encrypt;  ///< X-Smimegw-Encrypt value, if present
  bool client_signed = false;                  ///< the client already signed the message
  bool client_encrypted = false;               ///< the client already encrypted it
  MsipLimits msip_limits;
};

enum class LabelSource { none, header, inherited, policy_default };
std::string_view to_string(LabelSource s);

struct ChosenLabel {
  std::string id;
  std::string name;
  std::string display_name;
  int priority = 0;
  LabelSource source = LabelSource::none;
  std::string method;  ///< Standard | Privileged (as the header had it when kept)
  Protection protection = Protection::none;
  Rights rights;
  std::optional<std::chrono::system_clock::time_point> expires;  ///< content expiry
};

/// A refusal: for one recipient, or (recipient empty) for the whole message. Codes:
/// label_not_published, label_required (whole message); internal_only_external_recipient,
/// domain_not_in_scope (per recipient).
struct Refusal {
  std::string recipient;
  std::string code;
  std::string reason;  ///< human text, safe for an SMTP reply
};

struct Warning {
  std::string code;  ///< e.g. msip_labels_unparsable, label_unknown, label_replaced_by_default,
                     ///< request_header_invalid, request_ignored, marking_skipped
  std::string message;
};

struct Decision {
  std::optional<ChosenLabel> label;
  std::string marking_header;  ///< rendered; "" = none (also when the client signed/encrypted)
  std::string marking_footer;
  int content_bits = 0;
  /// The msip_labels value to write (replacing any the message had); nullopt = remove the header.
  std::optional<std::string> msip_labels;
  bool sign = false;
  /// The strongest reason: always_sign > client_request > user_sign_all; when not signing:
  /// client_signed (already signed), client_declined (X-Smimegw-Sign: no turned a user rule
  /// off), none.
  std::string sign_reason;
  bool encrypt = false;
  /// label_protection > always_encrypt > client_request > user_encrypt_all; when not
  /// encrypting: client_encrypted, client_declined, none.
  std::string encrypt_reason;
  bool include_gateway_key = false;  ///< protected label: also encrypt to the organisation key
  std::string encryption_algorithm;  ///< from the settings, for the CMS step
  std::string signing_algorithm;
  IncludeChain include_chain = IncludeChain::without_root;
  bool one_copy_per_bcc = true;
  std::vector<Refusal> refusals;
  std::vector<Warning> warnings;

  /// A whole-message refusal exists (every recipient is refused).
  bool refused() const;
  /// The refusals that concern `recipient` (its own and the whole-message ones).
  std::vector<Refusal> refusals_for(const std::string& recipient) const;
};

/// The decision for one outbound message. `catalog` should be valid (validate()).
Decision decide(const Catalog& catalog, const Facts& facts);

/// "yes"/"true"/"on"/"1" → true, "no"/"false"/"off"/"0" → false (case-insensitive, trimmed).
std::optional<bool> parse_request_flag(std::string_view value);

}  // namespace smimegw::policy
