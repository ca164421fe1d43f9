// policy: sensitivity labels, label policies and S/MIME settings, and the outbound policy
// decision (ARCHITECTURE §3, §6; issue 7). Pure functions over plain structs: no I/O, no clock,
// no randomness, no logging; the module uses only core.
//
// Flow: app loads the Catalog and SmimeSettings through PolicyStore (policy_store.hpp); transport
// computes the sender's EffectivePolicy (label.hpp), gathers Facts and calls decide()
// (decision.hpp) before answering 250, then applies the Decision: marking (mime::mark with the
// rendered texts), the msip_labels header (msip_labels.hpp), signing and encryption.
//
// Failure semantics: validation returns FieldErrors naming each field (field_error.hpp); header
// parsing returns Result with msip_* codes; the decision never fails, it refuses (Refusal codes)
// and warns.
#pragma once

#include "smimegw/policy/decision.hpp"
#include "smimegw/policy/field_error.hpp"
#include "smimegw/policy/guid.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/policy/marking_template.hpp"
#include "smimegw/policy/msip_labels.hpp"
#include "smimegw/policy/smime_settings.hpp"
