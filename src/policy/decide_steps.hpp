// policy (private): the steps of decide() (decision.hpp), one file each.
#pragma once

#include "smimegw/policy/decision.hpp"

namespace smimegw::policy::detail {

/// Label choice (steps 1-4 of decision.hpp); fills d.label, d.refusals, d.warnings. Returns the
/// parsed header (empty when absent or unparsable) for choose_header().
MsipHeader choose_label(const Catalog& catalog, const Facts& facts, Decision& d);

/// Per-recipient scope refusals of the chosen label.
void check_scope(const Label& label, const Facts& facts, Decision& d);

/// Marking texts and ContentBits.
void render_marking(const Label& label, const Facts& facts, Decision& d);

/// The msip_labels value to emit: our chosen label (keeping SetDate, Method, ActionId and unknown
/// attributes when the header already carried it) and every other tenant's label unchanged.
void emit_header(const MsipHeader& incoming, const Facts& facts, Decision& d);

/// sign/encrypt with their reasons, the gateway key, algorithms.
void crypto(const Facts& facts, Decision& d);

}  // namespace smimegw::policy::detail
