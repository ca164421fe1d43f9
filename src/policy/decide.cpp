// policy: the outbound decision (decision.hpp): scope, marking, header, then sign/encrypt.
#include "decide_steps.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/policy/decision.hpp"
#include "smimegw/policy/marking_template.hpp"

namespace smimegw::policy {

std::string_view to_string(LabelSource s) {
  switch (s) {
    case LabelSource::header:
      return "header";
    case LabelSource::inherited:
      return "inherited";
    case LabelSource::policy_default:
      return "policy_default";
    case LabelSource::none:
      break;
  }
  return "none";
}

std::optional<bool> parse_request_flag(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r' ||
                            value.back() == '\n'))
    value.remove_suffix(1);
  const auto l = core::ascii_lower(value);
  if (l == "yes" || l == "true" || l == "on" || l == "1") return true;
  if (l == "no" || l == "false" || l == "off" || l == "0") return false;
  return std::nullopt;
}

bool Decision::refused() const {
  for (const auto& r : refusals)
    if (r.recipient.empty()) return true;
  return false;
}

std::vector<Refusal> Decision::refusals_for(const std::string& recipient) const {
  std::vector<Refusal> out;
  for (const auto& r : refusals)
    if (r.recipient.empty() || core::ascii_lower(r.recipient) == core::ascii_lower(recipient))
      out.push_back(r);
  return out;
}

namespace detail {

void check_scope(const Label& l, const Facts& f, Decision& d) {
  for (const auto& r : f.recipients) {
    if (r.internal) continue;
    if (l.scope.internal_only) {
      d.refusals.push_back({r.address, "internal_only_external_recipient",
                            "label \"" + l.name + "\" is for internal recipients only"});
      continue;
    }
    if (l.scope.domains.empty()) continue;
    const auto dom = core::ascii_lower(r.domain);
    bool in = false;
    for (const auto& s : l.scope.domains) {
      if (s.rfind("*.", 0) == 0) {
        const std::string suffix = s.substr(1);  // ".example.com"
        in = in || (dom.size() > suffix.size() &&
                    dom.compare(dom.size() - suffix.size(), suffix.size(), suffix) == 0);
      } else {
        in = in || dom == s;
      }
    }
    if (!in)
      d.refusals.push_back({r.address, "domain_not_in_scope",
                            "label \"" + l.name + "\" does not allow mail to " + dom});
  }
}

void render_marking(const Label& l, const Facts& f, Decision& d) {
  if (l.protection == Protection::encrypt) d.content_bits |= kContentEncrypted;
  if (l.header_template.empty() && l.footer_template.empty()) return;
  if (f.client_signed || f.client_encrypted) {
    d.warnings.push_back({"marking_skipped",
                          "the client signed or encrypted the message; its marking cannot be "
                          "inserted without breaking that"});
    return;
  }
  TemplateValues v{l.display_name, f.sender_name.empty() ? f.sender : f.sender_name, f.now};
  d.marking_header = render_template(l.header_template, v);
  d.marking_footer = render_template(l.footer_template, v);
  if (!d.marking_header.empty()) d.content_bits |= kContentHeader;
  if (!d.marking_footer.empty()) d.content_bits |= kContentFooter;
}

void emit_header(const MsipHeader& in, const Facts& f, Decision& d) {
  MsipHeader out;
  if (d.label) {
    MsipLabel ours{.id = d.label->id};
    for (const auto& m : in.labels)
      if (m.id == d.label->id && (!m.site_id || *m.site_id == f.tenant_id)) ours = m;
    const bool kept = ours.set_date.has_value() && d.label->source == LabelSource::header;
    ours.enabled = true;
    if (!kept) {
      ours = MsipLabel{.id = d.label->id, .enabled = true};
      ours.set_date = core::iso8601_utc(f.now);
      ours.action_id = f.action_id;
    }
    if (!ours.action_id) ours.action_id = f.action_id;
    ours.method = d.label->method;
    ours.name = d.label->name;
    ours.site_id = f.tenant_id;
    ours.content_bits = d.content_bits;
    out.labels.push_back(std::move(ours));
  }
  for (const auto& m : in.labels)
    if (m.site_id && *m.site_id != f.tenant_id) out.labels.push_back(m);
  out.other = in.other;
  if (out.labels.empty() && out.other.empty()) return;
  auto v = format_msip_labels(out);
  if (!v) {
    d.warnings.push_back({"msip_labels_unformattable", v.error().message});
    return;
  }
  d.msip_labels = std::move(*v);
}

}  // namespace detail

Decision decide(const Catalog& catalog, const Facts& facts) {
  Decision d;
  MsipHeader incoming = detail::choose_label(catalog, facts, d);
  if (d.label) {
    const Label* l = find_label(catalog, d.label->id);
    detail::check_scope(*l, facts, d);
    detail::render_marking(*l, facts, d);
  }
  detail::emit_header(incoming, facts, d);
  detail::crypto(facts, d);
  return d;
}

}  // namespace smimegw::policy
