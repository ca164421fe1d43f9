// policy: the sensitivity-label catalog (ARCHITECTURE §6): labels, the label policies that publish
// them to users and groups, and which policy settings apply to a sender.
//
// Priority: a label with a higher `priority` number is more sensitive and wins wherever several
// labels compete (a reply keeps the highest; a message carrying two labels of our tenant is treated
// as carrying the highest). Label priorities are unique within a catalog.
//
// Policy precedence (the Microsoft Purview rule): a policy applies to a sender when it is assigned
// to all users, to one of the sender's addresses, or to one of the groups the sender belongs to.
// The published labels are the union over every applicable policy; the default label and
// mandatory labelling come from the applicable policy with the highest `priority` number alone
// (policy priorities are unique within a catalog).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/policy/field_error.hpp"

namespace smimegw::policy {

enum class Protection { none, encrypt };

/// The usage rights a protected label grants its recipients (enforced by the mailbox/sync API).
enum class Right : std::uint8_t {
  view = 1,
  edit = 2,
  print = 4,
  copy = 8,
  forward = 16,
  reply = 32,
  reply_all = 64
};

/// A set of rights as a bit mask of Right values.
struct Rights {
  std::uint8_t bits = 0x7F;  ///< all rights
  bool has(Right r) const { return (bits & static_cast<std::uint8_t>(r)) != 0; }
  void add(Right r) { bits |= static_cast<std::uint8_t>(r); }
  friend bool operator==(const Rights&, const Rights&) = default;
};

/// Wire names: "none"/"encrypt"; "view","edit","print","copy","forward","reply","reply-all".
std::string_view to_string(Protection p);
std::optional<Protection> parse_protection(std::string_view s);
std::string_view to_string(Right r);
std::optional<Right> parse_right(std::string_view s);
/// Every right in canonical order (view … reply-all).
const std::vector<Right>& all_rights();
/// The names of the rights in `rights`, canonical order.
std::vector<std::string> right_names(Rights rights);

/// Who may receive a labelled message. Internal recipients are always in scope; `internal_only`
/// refuses every external one; otherwise a non-empty `domains` limits external recipients to
/// those domains ("example.com" exactly, "*.example.com" any subdomain). Empty = anyone.
struct Scope {
  bool internal_only = false;
  std::vector<std::string> domains;  ///< lower-case
  friend bool operator==(const Scope&, const Scope&) = default;
};

struct Label {
  std::string id;               ///< GUID, lower-case
  std::string name;             ///< the msip_labels Name; unique (case-insensitive)
  std::string display_name;     ///< shown to users and rendered as ${Item.Label}
  int priority = 0;             ///< higher = more sensitive; unique
  std::string header_template;  ///< marking at the top of text parts; "" = none
  std::string footer_template;  ///< marking at the bottom; "" = none
  Protection protection = Protection::none;
  Rights rights;
  Scope scope;
  int content_expiry_days = 0;  ///< 0 = never expires
  friend bool operator==(const Label&, const Label&) = default;
};

struct LabelPolicy {
  std::string name;  ///< unique (case-insensitive)
  int priority = 0;  ///< higher wins for default/mandatory; unique
  bool all_users = false;
  std::vector<std::string> users;            ///< addresses, lower-case
  std::vector<std::string> groups;           ///< group addresses, lower-case
  std::vector<std::string> labels;           ///< published label ids
  std::optional<std::string> default_label;  ///< a published label id
  bool mandatory = false;  ///< a message without a label is refused (unless a default applies)
  friend bool operator==(const LabelPolicy&, const LabelPolicy&) = default;
};

struct Catalog {
  std::vector<Label> labels;
  std::vector<LabelPolicy> policies;
  friend bool operator==(const Catalog&, const Catalog&) = default;
};

/// Limits on a catalog (every parser and validator has limits).
struct CatalogLimits {
  std::size_t max_labels = 500;
  std::size_t max_policies = 500;
  std::size_t max_assignments = 10000;  ///< users + groups per policy
  std::size_t max_domains = 1000;       ///< per label
  std::size_t max_name = 128;
  std::size_t max_display_name = 256;
  std::size_t max_template = 1024;
  int max_expiry_days = 36500;
};

/// Every problem of the catalog with its field path (empty = valid): GUIDs, unique ids, names and
/// priorities, name characters (no ';', '=' or control characters: the name travels in the
/// msip_labels header), template variables (only ${Item.Label}, ${User.Name}, ${Event.DateTime}),
/// scope (internal_only excludes domains; domain syntax), policy label references, default label
/// published, assignment addresses, limits.
FieldErrors validate(const Catalog& catalog, const CatalogLimits& limits = {});

/// Label lookup by id (any GUID spelling) or by name (case-insensitive); nullptr when absent.
const Label* find_label(const Catalog& catalog, std::string_view id_or_name);
const LabelPolicy* find_policy(const Catalog& catalog, std::string_view name);

/// What the applicable policies give one sender (see the precedence rule above).
struct EffectivePolicy {
  std::vector<std::string> published;        ///< label ids, union, catalog order
  std::optional<std::string> default_label;  ///< from the winning policy
  bool mandatory = false;                    ///< from the winning policy
  std::string winning_policy;                ///< name; "" when no policy applies
  std::vector<std::string> policies;         ///< names of every applicable policy
  bool publishes(std::string_view label_id) const;
};

/// The effective policy for a sender known by `addresses` (primary and proxies) and the groups
/// it belongs to (addresses, transitively expanded by the caller). Case-insensitive matching.
EffectivePolicy effective_policy(const Catalog& catalog, const std::vector<std::string>& addresses,
                                 const std::vector<std::string>& groups);

}  // namespace smimegw::policy
