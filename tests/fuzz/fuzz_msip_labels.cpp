// libFuzzer target: msip_labels (run with scripts/fuzz.sh msip_labels SECONDS). Any input must
// parse or fail cleanly; whatever parses must emit, and the emitted value (single-line and folded)
// must parse back to the same structure. The input also goes through decide() as a message's
// header against a small catalog.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "smimegw/policy/policy.hpp"

namespace {

using namespace smimegw::policy;

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog c;
    Label a{.id = "11111111-1111-1111-1111-111111111111",
            .name = "General",
            .display_name = "General",
            .priority = 0};
    a.footer_template = "${Item.Label} ${User.Name} ${Event.DateTime}";
    Label b{.id = "22222222-2222-2222-2222-222222222222",
            .name = "Secret",
            .display_name = "Secret",
            .priority = 9,
            .protection = Protection::encrypt};
    b.scope.internal_only = true;
    c.labels = {a, b};
    LabelPolicy p{.name = "All", .priority = 0, .all_users = true};
    p.labels = {a.id};
    p.default_label = a.id;
    c.policies = {p};
    return c;
  }();
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_msip_labels(input);
  if (parsed) {
    auto line = format_msip_labels(parsed->header);
    if (!line) std::abort();  // parsed input must always be emittable
    // The emitted form may be longer than the input (", " separators), so re-parse with room.
    const MsipLimits roomy{.max_bytes = 4 * MsipLimits{}.max_bytes};
    auto again = parse_msip_labels(*line, roomy);
    if (!again || !(again->header == parsed->header) || !again->warnings.empty()) std::abort();
    auto field = format_msip_labels_field(parsed->header);
    if (!field) std::abort();
    auto folded = parse_msip_labels(field->substr(12), roomy);  // after "msip_labels:"
    if (!folded || !(folded->header == parsed->header)) std::abort();
  }
  Facts f;
  f.tenant_id = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
  f.action_id = "cccccccc-cccc-cccc-cccc-cccccccccccc";
  f.sender = "a@contoso.test";
  f.sender_policy = effective_policy(catalog(), {f.sender}, {});
  f.msip_labels = input;
  f.recipients = {{"x@ext.test", "ext.test", false, false}};
  auto d = decide(catalog(), f);
  if (!d.label && !d.refused()) std::abort();  // a default label exists
  const MsipLimits roomy{.max_bytes = 4 * MsipLimits{}.max_bytes, .max_labels = 17};
  if (d.msip_labels && !parse_msip_labels(*d.msip_labels, roomy)) std::abort();
  return 0;
}
