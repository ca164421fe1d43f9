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

/// The same from a text (JSON is YAML: the admin API's bodies); errors are "field: message"
/// without position. The catalog is validated as a whole (policy::validate).
std::optional<policy::Catalog> parse_catalog_text(const std::string& text,
                                                  std::vector<std::string>& errors);
/// One label entry of the file (fields "priority", "scope.domains[0]", ...); structural checks
/// only: the caller validates it inside its catalog.
std::optional<policy::Label> parse_label_text(const std::string& text,
                                              std::vector<std::string>& errors);
/// One policy entry; label references (names or ids) resolve against `catalog`.
std::optional<policy::LabelPolicy> parse_policy_text(const std::string& text,
                                                     const policy::Catalog& catalog,
                                                     std::vector<std::string>& errors);

}  // namespace smimegw::app
