// policy: validation errors that name the field they are about ("labels[2].scope.domains[0]",
// "alwaysSign"), so the CLI, the catalog importer and the admin API can point at the culprit.
// Validators collect every error at once rather than stopping at the first.
#pragma once

#include <string>
#include <vector>

#include "smimegw/core/error.hpp"

namespace smimegw::policy {

struct FieldError {
  std::string field;    ///< dotted path with [index] for list elements; "" = the whole object
  std::string message;  ///< what is wrong, safe to show
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

/// One Error (code `invalid_field`) whose message lists every "field: message", "; "-separated.
core::Error to_error(const FieldErrors& errors);

}  // namespace smimegw::policy
