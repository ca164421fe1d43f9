// transport: the label of a locally delivered copy (inbound.hpp label_of, label_protected).
#include <limits>

#include "smimegw/core/address.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/policy/msip_labels.hpp"
#include "smimegw/transport/inbound.hpp"

namespace smimegw::transport {

bool label_protected(const policy::Catalog& catalog, std::string_view label_id) {
  const policy::Label* l = policy::find_label(catalog, label_id);
  return l && l->protection == policy::Protection::encrypt;
}

LabelFacts label_of(std::string_view message, std::string_view given, std::string_view tenant_id,
                    const policy::Catalog* catalog, const mime::Limits& limits) {
  LabelFacts facts;
  facts.id = core::ascii_lower(given);
  auto m = mime::parse(message, limits);
  if (!m) return facts;
  auto parsed = policy::parse_msip_labels(m->header("msip_labels"));
  if (!parsed) return facts;
  const policy::MsipLabel* best = nullptr;
  int best_priority = 0;
  for (const policy::MsipLabel* l : policy::tenant_labels(parsed->header, tenant_id)) {
    const policy::Label* known = catalog ? policy::find_label(*catalog, l->id) : nullptr;
    // Labels unknown to the catalog rank below every known one.
    const int priority = known ? known->priority : std::numeric_limits<int>::min();
    if (!best || priority > best_priority) {
      best = l;
      best_priority = priority;
    }
  }
  if (facts.id.empty() && best) facts.id = best->id;
  for (const policy::MsipLabel* l : policy::tenant_labels(parsed->header, tenant_id))
    if (l->id == facts.id && l->content_bits && (*l->content_bits & policy::kContentEncrypted))
      facts.content_encrypted = true;
  return facts;
}

}  // namespace smimegw::transport
