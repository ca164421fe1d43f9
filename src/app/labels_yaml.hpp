// app: the label catalog file of `smimegw labels import` (format: docs/labels.md,
// config/labels.example.yaml) → policy::Catalog. Structural errors (unknown key, wrong type) and
// the catalog validator's errors (policy::validate) come back together, each as
// "FILE:LINE:COL: field: message" pointing at the offending node.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smimegw/policy/label.hpp"

namespace smimegw::app {

/// The catalog, or nullopt with every error in `errors`. Label references in policies may be
/// names or ids; addresses and domains are lower-cased, GUIDs normalised.
std::optional<policy::Catalog> load_catalog_file(const std::string& path,
                                                 std::vector<std::string>& errors);

}  // namespace smimegw::app
