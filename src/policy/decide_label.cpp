// policy: label choice of the outbound decision (decision.hpp steps 1-4).
#include <chrono>

#include "decide_steps.hpp"
#include "smimegw/policy/guid.hpp"

namespace smimegw::policy::detail {
namespace {

struct Candidate {
  const Label* label = nullptr;
  LabelSource source = LabelSource::none;
  std::string method;
};

ChosenLabel chosen(const Candidate& c, const Facts& f) {
  ChosenLabel out;
  const Label& l = *c.label;
  out.id = l.id;
  out.name = l.name;
  out.display_name = l.display_name;
  out.priority = l.priority;
  out.source = c.source;
  out.method = c.method.empty() ? "Standard" : c.method;
  out.protection = l.protection;
  out.rights = l.rights;
  if (l.content_expiry_days > 0)
    out.expires = f.now + std::chrono::hours(24) * l.content_expiry_days;
  return out;
}

// The highest-priority enabled label of our tenant that the catalog knows.
Candidate own_label(const Catalog& cat, const MsipHeader& h, const Facts& f, Decision& d) {
  Candidate best;
  for (const MsipLabel* m : tenant_labels(h, f.tenant_id)) {
    const Label* l = find_label(cat, m->id);
    if (!l) {
      d.warnings.push_back({"label_unknown", "msip_labels names label " + m->id +
                                                 " which the catalog does not know; ignored"});
      continue;
    }
    if (!best.label || l->priority > best.label->priority)
      best = {l, LabelSource::header, m->method.value_or("Privileged")};
  }
  return best;
}

Candidate inherited_label(const Catalog& cat, const Facts& f, Decision& d) {
  Candidate best;
  for (const auto& id : f.parent_label_ids) {
    const Label* l = normalize_guid(id) ? find_label(cat, id) : nullptr;
    if (!l) {
      d.warnings.push_back({"label_unknown", "an answered message carries label " + id +
                                                 " which the catalog does not know; ignored"});
      continue;
    }
    if (!best.label || l->priority > best.label->priority)
      best = {l, LabelSource::inherited, "Standard"};
  }
  return best;
}

void refuse(Decision& d, std::string code, std::string reason) {
  d.refusals.push_back({"", std::move(code), std::move(reason)});
}

}  // namespace

MsipHeader choose_label(const Catalog& cat, const Facts& f, Decision& d) {
  MsipHeader incoming;
  if (f.msip_labels) {
    auto parsed = parse_msip_labels(*f.msip_labels, f.msip_limits);
    if (!parsed) {
      d.warnings.push_back({"msip_labels_unparsable",
                            parsed.error().message + "; the header is ignored and replaced"});
    } else {
      incoming = std::move(parsed->header);
      for (auto& w : parsed->warnings) d.warnings.push_back({"msip_labels_entry_dropped", w});
    }
  }
  const Label* dflt =
      f.sender_policy.default_label ? find_label(cat, *f.sender_policy.default_label) : nullptr;
  Candidate own = own_label(cat, incoming, f, d);
  Candidate inh = inherited_label(cat, f, d);

  if (own.label && !f.sender_policy.publishes(own.label->id)) {
    const Label& asked = *own.label;
    if (inh.label && inh.label->priority >= asked.priority) {
      own = {};
      d.warnings.push_back({"label_not_published", "label \"" + asked.name +
                                                       "\" is not published to the sender; the "
                                                       "conversation's label applies"});
    } else if (dflt && dflt->priority >= asked.priority) {
      own = {dflt, LabelSource::policy_default, "Standard"};
      d.warnings.push_back({"label_replaced_by_default", "label \"" + asked.name +
                                                             "\" is not published to the sender; "
                                                             "replaced by the default label \"" +
                                                             dflt->name + "\""});
    } else {
      refuse(d, "label_not_published",
             "label \"" + asked.name + "\" is not published to " + f.sender);
      return incoming;
    }
  }
  Candidate pick = own;
  if (inh.label && (!pick.label || inh.label->priority > pick.label->priority)) {
    if (pick.label)
      d.warnings.push_back(
          {"label_upgraded_by_inheritance", "label \"" + pick.label->name + "\" raised to \"" +
                                                inh.label->name + "\" of the answered message"});
    pick = inh;
  }
  if (!pick.label && dflt) pick = {dflt, LabelSource::policy_default, "Standard"};
  if (!pick.label) {
    if (f.sender_policy.mandatory)
      refuse(d, "label_required",
             "a sensitivity label is required for mail from " + f.sender + " (policy \"" +
                 f.sender_policy.winning_policy + "\")");
    return incoming;
  }
  d.label = chosen(pick, f);
  return incoming;
}

}  // namespace smimegw::policy::detail
