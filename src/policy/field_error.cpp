// policy: FieldErrors → one core::Error (field_error.hpp).
#include "smimegw/policy/field_error.hpp"

namespace smimegw::policy {

core::Error to_error(const FieldErrors& errors) {
  std::string msg;
  for (const auto& e : errors) {
    if (!msg.empty()) msg += "; ";
    msg += e.field.empty() ? e.message : e.field + ": " + e.message;
  }
  return core::Error::make("invalid_field", msg);
}

}  // namespace smimegw::policy
