// trust: names of the request enums and ValidationResult helpers (validation.hpp).
#include "smimegw/trust/validation.hpp"

#include <algorithm>

namespace smimegw::trust {

std::string_view to_string(Operation op) {
  switch (op) {
    case Operation::verify_signature:
      return "verify-signature";
    case Operation::sign_with:
      return "sign-with";
    case Operation::encrypt_to:
      return "encrypt-to";
    case Operation::any:
      return "any";
  }
  return "any";
}

std::string_view to_string(RevocationMode mode) {
  switch (mode) {
    case RevocationMode::require:
      return "require";
    case RevocationMode::prefer:
      return "prefer";
    case RevocationMode::off:
      return "off";
  }
  return "require";
}

std::optional<Operation> parse_operation(std::string_view s) {
  if (s == "verify-signature" || s == "sign" || s == "verify") return Operation::verify_signature;
  if (s == "sign-with") return Operation::sign_with;
  if (s == "encrypt-to" || s == "encrypt") return Operation::encrypt_to;
  if (s == "any") return Operation::any;
  return std::nullopt;
}

std::optional<RevocationMode> parse_revocation_mode(std::string_view s) {
  if (s == "require") return RevocationMode::require;
  if (s == "prefer") return RevocationMode::prefer;
  if (s == "off") return RevocationMode::off;
  return std::nullopt;
}

bool ValidationResult::has_error(std::string_view code) const {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const Finding& f) { return f.code == code; });
}

bool ValidationResult::has_warning(std::string_view code) const {
  return std::any_of(warnings.begin(), warnings.end(),
                     [&](const Finding& f) { return f.code == code; });
}

std::vector<std::string> ValidationResult::error_codes() const {
  std::vector<std::string> out;
  for (const auto& f : errors)
    if (std::find(out.begin(), out.end(), f.code) == out.end()) out.push_back(f.code);
  return out;
}

}  // namespace smimegw::trust
