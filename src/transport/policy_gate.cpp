// transport: PolicyGate — the outbound decision before 250 (policy_gate.hpp).
#include "smimegw/transport/policy_gate.hpp"

#include <botan/auto_rng.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "policy_gate_facts.hpp"
#include "smimegw/core/address.hpp"
#include "smimegw/mime/parser.hpp"
#include "smimegw/policy/decision.hpp"
#include "smimegw/policy/label.hpp"
#include "smimegw/smime/inspect.hpp"

namespace smimegw::transport {

namespace asio = boost::asio;
using core::Error;

struct PolicyGate::Work {
  directory::User sender;
  std::vector<GateRecipient> recipients;
  std::shared_ptr<const std::string> raw;
  std::optional<mime::Message> msg;
  std::shared_ptr<const PolicySnapshot> snap;
  policy::Decision decision;
  GateResult out;
  std::vector<std::string> refusals;  ///< lines
  void trace(std::string event, std::string recipient,
             std::vector<std::pair<std::string, std::string>> detail) {
    out.trace.push_back(
        {"", "intake", std::move(event), std::move(recipient), gate::json_object(detail), {}});
  }
};

namespace {

// The trust calls block (CRL fetches): plain coroutines with by-value parameters run them on the
// gate's threads.
asio::awaitable<trust::ValidationResult> validate_on(trust::Validator* v,
                                                     trust::ValidationRequest req) {
  co_return v->validate(req);
}

asio::awaitable<std::optional<core::Result<smime::Report>>> inspect_on(
    trust::Validator* v, std::shared_ptr<const std::string> raw, std::string sender,
    std::vector<std::string> proxies, std::chrono::system_clock::time_point at, bool accept_sha1,
    trust::RevocationMode revocation) {
  smime::InspectOptions o;
  o.accept_sha1 = accept_sha1;
  o.chain_check = [v, sender, proxies, at, revocation](
                      const Botan::X509_Certificate& signer,
                      const std::vector<Botan::X509_Certificate>& carried) {
    trust::ValidationRequest req{signer, carried, at,        trust::Operation::verify_signature,
                                 sender, proxies, revocation};
    std::vector<core::Error> errs;
    for (const auto& code : v->validate(req).error_codes())
      errs.push_back(core::Error::make(code, "sender certificate: " + code));
    return errs;
  };
  Botan::AutoSeeded_RNG rng;
  co_return smime::inspect(*raw, o, rng);  // optional: co_spawn needs a default-constructible
}

policy::Facts make_facts(const PolicySnapshot& snap, const directory::User& sender,
                         const mime::Message& msg, const std::vector<GateRecipient>& recipients,
                         const std::vector<std::string>& parent_labels,
                         const std::optional<policy::UserSmimeSettings>& user_settings,
                         const GateOptions& o, std::chrono::system_clock::time_point now) {
  policy::Facts f;
  f.tenant_id = o.tenant_id;
  f.now = now;
  f.action_id = gate::random_guid();
  f.sender = sender.address;
  f.sender_name = sender.display_name;
  std::vector<std::string> addresses{sender.address};
  addresses.insert(addresses.end(), sender.proxy_addresses.begin(), sender.proxy_addresses.end());
  f.sender_policy = policy::effective_policy(snap.catalog, addresses, snap.groups_of(addresses));
  auto msip = msg.header("msip_labels");
  if (!msip.empty()) f.msip_labels = msip;
  f.parent_label_ids = parent_labels;
  for (const auto& r : recipients) {
    auto at = r.address.rfind('@');
    std::string domain = core::ascii_lower(r.address.substr(at + 1));
    bool internal = std::find(o.accepted_domains.begin(), o.accepted_domains.end(), domain) !=
                    o.accepted_domains.end();
    f.recipients.push_back({r.address, domain, internal, r.bcc});
  }
  f.settings = snap.settings;
  f.user_settings = user_settings;
  auto sign = msg.header("X-Smimegw-Sign");
  if (!sign.empty()) f.request_sign = sign;
  auto encrypt = msg.header("X-Smimegw-Encrypt");
  if (!encrypt.empty()) f.request_encrypt = encrypt;
  f.client_signed = gate::client_signed(msg);
  f.client_encrypted = gate::client_encrypted(msg);
  return f;
}

bool has_request_fields(const mime::Message& msg) {
  return !msg.header("X-Smimegw-Sign").empty() || !msg.header("X-Smimegw-Encrypt").empty();
}

void fill_plan_label(Plan& p, const policy::Decision& d) {
  if (d.label) {
    p.label_id = d.label->id;
    p.label_name = d.label->name;
  }
  p.marking_header = d.marking_header;
  p.marking_footer = d.marking_footer;
  p.set_msip = true;
  p.msip_labels = d.msip_labels.value_or("");
  p.sign = d.sign;
  p.digest = gate::digest_name(d.signing_algorithm);
  p.include_chain = std::string(policy::to_string(d.include_chain));
  p.encrypt = d.encrypt;
  p.cipher = gate::cipher_name(d.encryption_algorithm);
  p.one_copy_per_bcc = d.one_copy_per_bcc;
}

}  // namespace

PolicyGate::PolicyGate(GateDeps deps, GateOptions options) : d_(deps), o_(std::move(options)) {}
PolicyGate::~PolicyGate() {
  threads_.join();
}

asio::awaitable<core::Result<GateResult>> PolicyGate::evaluate(
    directory::User sender, std::vector<GateRecipient> recipients,
    std::shared_ptr<const std::string> raw) {
  Work w{std::move(sender), std::move(recipients), std::move(raw), {}, {}, {}, {}, {}};
  auto parsed = mime::parse(*w.raw);
  if (!parsed) co_return Error::make("malformed_message", parsed.error().message);
  w.msg = std::move(*parsed);
  auto snap = co_await d_.policy.snapshot();
  if (!snap) co_return Error::transient("db_unavailable", "policy data unavailable");
  w.snap = *snap;
  auto user_settings = co_await d_.policy.user_settings(w.sender.address);
  if (!user_settings) co_return Error::transient("db_unavailable", "policy data unavailable");
  auto answered = gate::answered_ids(*w.msg);
  std::vector<std::string> parents;
  if (!answered.empty()) {
    auto labels = co_await d_.queue.labels_of(answered);
    if (labels) parents = *labels;  // a lookup failure loses inheritance only (noted in trace)
    if (!labels) w.trace("parent_labels_unavailable", "", {{"error", labels.error().code}});
  }
  auto now = d_.clock.now();
  auto facts =
      make_facts(*w.snap, w.sender, *w.msg, w.recipients, parents, *user_settings, o_, now);
  w.decision = policy::decide(w.snap->catalog, facts);
  const auto& d = w.decision;
  w.refusals = gate::refusal_lines(d, w.recipients);
  for (const auto& warn : d.warnings) {
    w.out.warnings.push_back(warn.code);
    w.trace("warning", "", {{"code", warn.code}, {"message", warn.message}});
  }
  if (d.label) {
    w.trace(
        "label", "",
        {{"id", d.label->id},
         {"name", d.label->name},
         {"source", std::string(policy::to_string(d.label->source))},
         {"protection", d.label->protection == policy::Protection::encrypt ? "encrypt" : "none"}});
  }
  if (!d.marking_header.empty() || !d.marking_footer.empty())
    w.trace("marking", "", {{"header", d.marking_header}, {"footer", d.marking_footer}});
  w.trace("decision", "",
          {{"sign", d.sign ? "yes" : "no"},
           {"sign_reason", d.sign_reason},
           {"encrypt", d.encrypt ? "yes" : "no"},
           {"encrypt_reason", d.encrypt_reason}});
  if (w.refusals.empty() && d.sign) {
    auto st = co_await check_signing(w);
    if (!st) co_return st.error();
  }
  if (w.refusals.empty() && facts.client_signed) {
    auto st = co_await check_client_signature(w);
    if (!st) co_return st.error();
  }
  if (w.refusals.empty() && d.encrypt) {
    auto st = co_await choose_certificates(w);
    if (!st) co_return st.error();
  }
  if (!w.refusals.empty()) {
    std::string text;
    for (const auto& line : w.refusals) text += (text.empty() ? "" : "\n") + line;
    co_return Error::make("policy_refused", text);
  }
  fill_plan_label(w.out.plan, d);
  w.out.plan.sender = w.sender.address;
  w.out.plan.sender_name = w.sender.display_name;
  for (const auto& r : w.recipients)
    if (r.bcc) w.out.plan.bcc.push_back(r.address);
  auto current_msip = w.msg->header("msip_labels");
  bool msip_changes = d.msip_labels ? *d.msip_labels != current_msip : !current_msip.empty();
  w.out.needs_processing = d.sign || d.encrypt || !d.marking_header.empty() ||
                           !d.marking_footer.empty() || msip_changes || has_request_fields(*w.msg);
  co_return std::move(w.out);
}

asio::awaitable<core::Status> PolicyGate::check_signing(Work& w) {
  auto km = co_await d_.keys.signing(w.sender.address);
  if (!km && km.error().temporary) co_return km.error();
  if (!km) {
    w.refusals.push_back(
        gate::refusal_line(w.sender.address, "signing_certificate_missing", km.error().message));
    co_return core::Status{};
  }
  auto revocation = w.snap->settings.check_crl_on_send ? o_.revocation : trust::RevocationMode::off;
  trust::ValidationRequest req{km->certificate,  {},
                               d_.clock.now(),   trust::Operation::sign_with,
                               w.sender.address, w.sender.proxy_addresses,
                               revocation};
  auto result = co_await asio::co_spawn(threads_, validate_on(&d_.validator, std::move(req)),
                                        asio::use_awaitable);
  if (!result.valid) {
    std::string codes;
    for (const auto& c : result.error_codes()) codes += (codes.empty() ? "" : ",") + c;
    w.refusals.push_back(
        gate::refusal_line(w.sender.address, "signing_certificate_invalid", codes));
    w.trace("refused", w.sender.address,
            {{"code", "signing_certificate_invalid"}, {"codes", codes}});
    co_return core::Status{};
  }
  w.out.plan.sign_thumbprint = km->record.thumbprint;
  auto left = std::chrono::duration_cast<std::chrono::hours>(km->record.not_after - d_.clock.now());
  std::vector<std::pair<std::string, std::string>> detail{
      {"thumbprint", km->record.thumbprint},
      {"subject", km->certificate.subject_dn().to_string()},
      {"days_left", std::to_string(left.count() / 24)}};
  w.trace("signing_certificate", w.sender.address, detail);
  if (left.count() / 24 < o_.expiry_warning_days) {
    w.out.warnings.push_back("signing certificate expires in " + std::to_string(left.count() / 24) +
                             " days");
    w.trace("warning", w.sender.address,
            {{"code", "signing_certificate_expiring"},
             {"days_left", std::to_string(left.count() / 24)}});
  }
  co_return core::Status{};
}

asio::awaitable<core::Status> PolicyGate::check_client_signature(Work& w) {
  auto boxed = co_await asio::co_spawn(
      threads_,
      inspect_on(&d_.validator, w.raw, w.sender.address, w.sender.proxy_addresses, d_.clock.now(),
                 o_.accept_sha1, o_.revocation),
      asio::use_awaitable);
  auto report = std::move(*boxed);
  std::string code;
  if (!report) code = report.error().code;
  if (report && report->signature_status() != "good") code = report->first_error();
  if (report && code.empty() && report->signature_status() != "good")
    code = "signature_" + report->signature_status();
  if (!code.empty()) {
    w.refusals.push_back(gate::refusal_line(w.sender.address, "client_signature_invalid", code));
    w.trace("refused", w.sender.address, {{"code", "client_signature_invalid"}, {"reason", code}});
  } else {
    w.trace("client_signature", w.sender.address, {{"status", "valid"}});
  }
  co_return core::Status{};
}

namespace {

// Adds the resolution of every recipient to the plan or to the refusals. Plain function: a loop
// with branches stays out of the coroutine (docs/architecture.md).
void apply_resolutions(Plan& plan, std::vector<std::string>& refusals,
                       std::vector<TraceEvent>& trace,
                       const std::vector<directory::RecipientResolution>& resolved,
                       const std::vector<GateRecipient>& recipients, bool one_copy_per_bcc) {
  auto event = [&](std::string name, const std::string& rcpt,
                   std::vector<std::pair<std::string, std::string>> detail) {
    trace.push_back({"", "intake", std::move(name), rcpt, gate::json_object(detail), {}});
  };
  for (const auto& r : resolved) {
    // The intake expands groups before the gate, so the path comes with the gate's recipient; the
    // resolver's own path is there only when it was handed a group.
    std::string via;
    for (const auto& g : r.via) via += (via.empty() ? "" : ">") + g;
    if (via.empty()) via = gate::via_path(recipients, r.address);
    if (!r.resolved()) {
      std::string who = r.address + (via.empty() ? "" : " (via " + via + ")");
      refusals.push_back(gate::refusal_line(who, r.reason, r.detail));
      std::vector<std::pair<std::string, std::string>> d{{"code", r.reason}, {"reason", r.detail}};
      if (!via.empty()) d.emplace_back("via", via);  // the group path, for expanded members only
      event("refused", r.address, std::move(d));
      continue;
    }
    bool bcc = false;
    for (const auto& g : recipients)
      if (g.address == r.address) bcc = g.bcc && one_copy_per_bcc;
    const auto& c = *r.certificate;
    plan.certificates.push_back({r.address, "recipient", c.source, c.thumbprint, c.der, bcc});
    std::vector<std::pair<std::string, std::string>> d{
        {"source", c.source}, {"thumbprint", c.thumbprint}, {"subject", c.subject}};
    if (!via.empty()) d.emplace_back("via", via);
    event("recipient_certificate", r.address, std::move(d));
  }
}

// The addresses to resolve: the recipients, and the sender when not one of them already.
std::vector<std::string> resolution_addresses(const std::vector<GateRecipient>& recipients,
                                              const std::string& sender, bool& sender_asked) {
  std::vector<std::string> out;
  const auto self = core::ascii_lower(sender);
  for (const auto& r : recipients) {
    out.push_back(r.address);
    if (core::ascii_lower(r.address) == self) sender_asked = true;
  }
  if (!sender_asked) out.push_back(sender);
  return out;
}

// The sender's own resolution (asked directly, not through a group). When the sender was added
// only for this, it leaves `resolved`, so it is never taken for a recipient.
std::optional<directory::RecipientResolution> split_own(
    std::vector<directory::RecipientResolution>& resolved, const std::string& sender,
    bool sender_asked) {
  const auto self = core::ascii_lower(sender);
  for (auto it = resolved.begin(); it != resolved.end(); ++it) {
    if (!it->via.empty() || core::ascii_lower(it->address) != self) continue;
    directory::RecipientResolution own = *it;
    if (!sender_asked) resolved.erase(it);
    return own;
  }
  return std::nullopt;
}

}  // namespace

asio::awaitable<core::Status> PolicyGate::choose_certificates(Work& w) {
  // One resolution for the recipients and the sender's own certificate (so the sent copy stays
  // readable; not a refusal when missing): one round of directory queries instead of two.
  bool sender_asked = false;
  auto addresses = resolution_addresses(w.recipients, w.sender.address, sender_asked);
  auto resolved = co_await d_.resolver.resolve(w.sender.address, addresses);
  if (!resolved) co_return Error::transient("db_unavailable", "recipient certificates unavailable");
  auto own = split_own(*resolved, w.sender.address, sender_asked);
  apply_resolutions(w.out.plan, w.refusals, w.out.trace, *resolved, w.recipients,
                    w.decision.one_copy_per_bcc);
  if (own && own->resolved()) {
    const auto& c = *own->certificate;
    w.out.plan.certificates.push_back(
        {w.sender.address, "sender", c.source, c.thumbprint, c.der, false});
  } else {
    w.out.warnings.push_back(
        "no valid encryption certificate of the sender: the sent copy is "
        "not readable by the sender");
    w.trace("warning", w.sender.address, {{"code", "sender_certificate_missing"}});
  }
  if (w.decision.include_gateway_key) {
    auto key = co_await d_.gateway.current();
    if (!key)
      co_return Error::transient("gateway_key_unavailable",
                                 "the organisation's gateway key is unavailable");
    auto der = (*key)->certificate.BER_encode();
    w.out.plan.certificates.push_back({"", "gateway", "gateway", (*key)->thumbprint,
                                       std::vector<std::uint8_t>(der.begin(), der.end()), false});
    w.trace("gateway_key", "", {{"thumbprint", (*key)->thumbprint}});
  }
  co_return core::Status{};
}

}  // namespace smimegw::transport
