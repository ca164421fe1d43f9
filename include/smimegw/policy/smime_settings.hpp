// policy: organisation-wide S/MIME settings (the Exchange `Set-SmimeConfig` analogue, one row in
// smime_settings), per-user settings (user_smime_settings, what a mobile client's "S/MIME on, sign
// all, encrypt all" toggles write), the effective sign/encrypt rules for a user, and the
// PATCH-style merges the admin API (`/admin/v1/smime-config`), the sync API (`/me/settings`) and
// `smimegw smime-config set` share.
//
// A patch is a list of (camelCase field, typed value); a merge works on a staging copy and applies
// nothing unless every entry is valid, reporting every error by field name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/policy/field_error.hpp"

namespace smimegw::policy {

enum class IncludeChain { none, without_root, with_root };

/// Wire names "none", "withoutRoot", "withRoot" (parse is case-insensitive).
std::string_view to_string(IncludeChain c);
std::optional<IncludeChain> parse_include_chain(std::string_view s);

struct SmimeSettings {
  bool always_sign = false;
  bool always_encrypt = false;
  std::string encryption_algorithm = "AES-256-CBC";  ///< AES-{128,256}-{CBC,GCM}
  std::string signing_algorithm = "SHA-256";         ///< SHA-{256,384,512}
  IncludeChain include_chain = IncludeChain::without_root;
  bool check_crl_on_send = true;  ///< check the sender's own certificate's CRL when signing
  int crl_connection_timeout_ms = 60000;
  int crl_retrieval_timeout_ms = 10000;
  int dl_expansion_timeout_ms = 60000;
  bool one_copy_per_bcc = true;   ///< each Bcc recipient gets its own encrypted copy
  bool sign_all_default = false;  ///< users' "sign all" when they have not chosen
  bool sign_all_user_change_allowed = true;
  bool encrypt_all_default = false;
  bool encrypt_all_user_change_allowed = true;
  friend bool operator==(const SmimeSettings&, const SmimeSettings&) = default;
};

/// One user's choices; an unset sign_all/encrypt_all follows the organisation default.
struct UserSmimeSettings {
  /// Off until the user turns it on (the mobile app's S/MIME switch); while off the user's
  /// sign-all/encrypt-all choices are ignored. Labels and alwaysSign/alwaysEncrypt still apply.
  bool smime_enabled = false;
  std::optional<bool> sign_all;
  std::optional<bool> encrypt_all;
  friend bool operator==(const UserSmimeSettings&, const UserSmimeSettings&) = default;
};

/// A patch value: JSON null, boolean, integer or string.
using PatchValue = std::variant<std::monostate, bool, std::int64_t, std::string>;
using Patch = std::vector<std::pair<std::string, PatchValue>>;

/// "key=value" as typed by an operator: true/false → bool, null → null, a decimal integer →
/// integer, anything else → string. `invalid_field` when there is no '='.
core::Result<std::pair<std::string, PatchValue>> parse_patch_text(std::string_view text);

/// The fields of SmimeSettings as (camelCase name, value), in declaration order; what
/// `smime-config show` and the admin GET print.
std::vector<std::pair<std::string, PatchValue>> fields(const SmimeSettings& s);
std::vector<std::pair<std::string, PatchValue>> fields(const UserSmimeSettings& s);

/// Applies `patch` to a copy of `base` into `out`; on any error `out` is left untouched and every
/// error is returned (unknown field, wrong type, null for a non-nullable field, value out of
/// bounds or not allowed, a field given twice). Timeouts: 1..600000 ms.
FieldErrors merge_patch(const SmimeSettings& base, const Patch& patch, SmimeSettings& out);

/// The same for a user's own settings (smimeEnabled, signAll, encryptAll; null resets to the
/// organisation default). Changing signAll/encryptAll where the organisation does not allow it
/// is an error for that field.
FieldErrors merge_user_patch(const SmimeSettings& org, const UserSmimeSettings& base,
                             const Patch& patch, UserSmimeSettings& out);

/// Why a user's messages are signed or encrypted by default.
enum class RuleSource { none, organization, user, user_default };

/// The standing sign/encrypt rules for one user (before labels and per-message requests).
struct EffectiveRules {
  bool sign = false;
  RuleSource sign_source = RuleSource::none;  ///< organization = alwaysSign
  bool encrypt = false;
  RuleSource encrypt_source = RuleSource::none;
  bool sign_user_changeable = true;  ///< the user (or a client request) may turn it off
  bool encrypt_user_changeable = true;
};

std::string_view to_string(RuleSource s);

/// alwaysSign/alwaysEncrypt force the rule (not changeable). Otherwise, when the user has
/// S/MIME enabled, chose a value and is allowed to change it, the choice counts (source user);
/// else the organisation default (source user_default when true). `user` absent = no row.
EffectiveRules effective_rules(const SmimeSettings& org,
                               const std::optional<UserSmimeSettings>& user);

}  // namespace smimegw::policy
