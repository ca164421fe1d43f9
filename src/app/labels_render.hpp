// app: how `smimegw labels` and `smimegw smime-config` print catalog entries and settings (text
// for people, JSON for scripts; JSON field names follow the catalog file / admin API).
#pragma once

#include <boost/json.hpp>
#include <ostream>

#include "smimegw/policy/label.hpp"
#include "smimegw/policy/smime_settings.hpp"

namespace smimegw::app {

boost::json::object label_json(const policy::Label& l, const policy::Catalog& c);
boost::json::object policy_json(const policy::LabelPolicy& p, const policy::Catalog& c);
boost::json::value patch_value_json(const policy::PatchValue& v);

/// One line per label: priority, id, name, protection, scope, publishing policies.
void print_label_row(std::ostream& out, const policy::Label& l, const policy::Catalog& c);
void print_policy_row(std::ostream& out, const policy::LabelPolicy& p, const policy::Catalog& c);
/// "key: value" lines with every attribute.
void print_label_detail(std::ostream& out, const policy::Label& l, const policy::Catalog& c);
void print_policy_detail(std::ostream& out, const policy::LabelPolicy& p, const policy::Catalog& c);
std::string patch_value_text(const policy::PatchValue& v);

}  // namespace smimegw::app
