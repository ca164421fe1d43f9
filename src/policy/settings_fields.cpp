// policy: the SmimeSettings field table (settings_fields.hpp).
#include "settings_fields.hpp"

#include <array>

#include "smimegw/core/address.hpp"

namespace smimegw::policy::detail {
namespace {

constexpr int kMaxTimeoutMs = 600000;

SettingField boolean(const char* name, bool SmimeSettings::*m) {
  return {name, [m](const SmimeSettings& s) { return PatchValue(s.*m); },
          [m](SmimeSettings& s, const PatchValue& v) -> std::string {
            if (!std::holds_alternative<bool>(v)) return "expected true or false";
            s.*m = std::get<bool>(v);
            return "";
          }};
}

SettingField timeout(const char* name, int SmimeSettings::*m) {
  return {name, [m](const SmimeSettings& s) { return PatchValue(std::int64_t{s.*m}); },
          [m](SmimeSettings& s, const PatchValue& v) -> std::string {
            if (!std::holds_alternative<std::int64_t>(v)) return "expected an integer (ms)";
            auto n = std::get<std::int64_t>(v);
            if (n < 1 || n > kMaxTimeoutMs)
              return "must be between 1 and " + std::to_string(kMaxTimeoutMs) + " ms";
            s.*m = static_cast<int>(n);
            return "";
          }};
}

// A string from a fixed list, matched case-insensitively and stored in its canonical spelling.
template <std::size_t N>
SettingField choice(const char* name, std::string SmimeSettings::*m,
                    std::array<const char*, N> allowed) {
  return {name, [m](const SmimeSettings& s) { return PatchValue(s.*m); },
          [m, allowed](SmimeSettings& s, const PatchValue& v) -> std::string {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            if (!std::holds_alternative<std::string>(v)) return "expected one of " + list;
            for (const char* a : allowed)
              if (core::ascii_lower(a) == core::ascii_lower(std::get<std::string>(v))) {
                s.*m = a;
                return "";
              }
            return "\"" + std::get<std::string>(v) + "\" is not one of " + list;
          }};
}

}  // namespace

const std::vector<SettingField>& settings_fields() {
  using S = SmimeSettings;
  static const std::vector<SettingField> table = {
      boolean("alwaysSign", &S::always_sign),
      boolean("alwaysEncrypt", &S::always_encrypt),
      choice<4>("encryptionAlgorithm", &S::encryption_algorithm,
                {"AES-256-CBC", "AES-128-CBC", "AES-256-GCM", "AES-128-GCM"}),
      choice<3>("signingAlgorithm", &S::signing_algorithm, {"SHA-256", "SHA-384", "SHA-512"}),
      {"includeChain",
       [](const S& s) { return PatchValue(std::string(to_string(s.include_chain))); },
       [](S& s, const PatchValue& v) -> std::string {
         auto c = std::holds_alternative<std::string>(v)
                      ? parse_include_chain(std::get<std::string>(v))
                      : std::nullopt;
         if (!c) return "expected one of none, withoutRoot, withRoot";
         s.include_chain = *c;
         return "";
       }},
      boolean("checkCrlOnSend", &S::check_crl_on_send),
      timeout("crlConnectionTimeoutMs", &S::crl_connection_timeout_ms),
      timeout("crlRetrievalTimeoutMs", &S::crl_retrieval_timeout_ms),
      timeout("dlExpansionTimeoutMs", &S::dl_expansion_timeout_ms),
      boolean("oneCopyPerBcc", &S::one_copy_per_bcc),
      boolean("signAllDefault", &S::sign_all_default),
      boolean("signAllUserChangeAllowed", &S::sign_all_user_change_allowed),
      boolean("encryptAllDefault", &S::encrypt_all_default),
      boolean("encryptAllUserChangeAllowed", &S::encrypt_all_user_change_allowed),
  };
  return table;
}

}  // namespace smimegw::policy::detail
