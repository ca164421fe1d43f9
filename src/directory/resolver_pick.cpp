// directory: candidate evaluation for the resolver (resolver_detail.hpp).
#include <botan/x509cert.h>

#include <algorithm>

#include "resolver_detail.hpp"
#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/directory/certificate_service.hpp"

namespace smimegw::directory::detail {

namespace {

std::chrono::system_clock::time_point to_time(const Botan::X509_Time& t) {
  return std::chrono::system_clock::time_point(
      std::chrono::seconds(static_cast<std::int64_t>(t.time_since_epoch())));
}

bool unknown_ca_only(const std::vector<std::string>& codes) {
  for (const auto& c : codes)
    if (c != "untrusted_root" && c != "chain_incomplete") return false;
  return !codes.empty();
}

bool newer(const CandidateReport& a, const CandidateReport& b) {
  return a.not_before != b.not_before ? a.not_before > b.not_before : a.not_after > b.not_after;
}

}  // namespace

void evaluate(Target& target, trust::Validator& validator, std::chrono::system_clock::time_point at,
              trust::RevocationMode revocation) {
  std::optional<std::size_t> best;
  std::vector<std::uint8_t> best_der;
  for (auto& cand : target.pending) {
    CandidateReport report;
    report.source = cand.source;
    try {
      // Through cms::load_certificate, so a notAfter of 99991231235959Z (RFC 5280 §4.1.2.5)
      // loads; the thumbprint is taken over the bytes as issued.
      const Botan::X509_Certificate cert = cms::decoded_certificate(cand.der);
      report.thumbprint = thumbprint_of(cand.der);
      report.subject = cert.subject_dn().to_string();
      report.not_before = to_time(cert.not_before());
      report.not_after = to_time(cert.not_after());
      trust::ValidationRequest req{.certificate = cert,
                                   .at = at,
                                   .operation = trust::Operation::encrypt_to,
                                   .address = target.result.address,
                                   .proxy_addresses = cand.other_addresses,
                                   .revocation = revocation};
      auto v = validator.validate(req);
      report.valid = v.valid;
      report.codes = v.error_codes();
      if (!report.valid && cand.user_trusted && unknown_ca_only(report.codes)) {
        report.valid = true;  // the user trusted it; the codes stay as the reason it needed that
        report.source = "installed:user_trusted";
      }
    } catch (const std::exception&) {
      report.codes = {"malformed_certificate"};
    }
    // the same certificate from two sources (or twice in one) is reported once
    bool repeated = false;
    for (const auto& c : target.result.candidates)
      repeated = repeated || (c.thumbprint == report.thumbprint && !c.thumbprint.empty());
    if (repeated) continue;
    target.result.candidates.push_back(report);
    const auto& added = target.result.candidates.back();
    if (added.valid && (!best || newer(added, target.result.candidates[*best]))) {
      best = target.result.candidates.size() - 1;
      best_der = cand.der;
    }
  }
  target.pending.clear();
  if (!best) return;
  const auto& win = target.result.candidates[*best];
  target.result.certificate = ResolvedCertificate{
      std::move(best_der), win.source, win.thumbprint, win.subject, win.not_before, win.not_after};
  target.result.reason.clear();
  target.result.detail.clear();
  target.done = true;
}

void finish_unresolved(Target& target) {
  auto& r = target.result;
  if (r.resolved() || !r.reason.empty()) return;
  if (!target.source_error.code.empty()) {
    r.reason = target.source_error.code;
    r.detail = target.source_error.message;
  } else if (!r.candidates.empty()) {
    r.reason = "all_invalid";
    // the validation codes, each once, so a refusal says why (expired, revoked, untrusted_root, …)
    std::vector<std::string> codes;
    for (const auto& c : r.candidates)
      for (const auto& code : c.codes)
        if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(code);
    r.detail = std::to_string(r.candidates.size()) + " certificate(s) found, none valid";
    for (std::size_t i = 0; i < codes.size() && i < 6; ++i)
      r.detail += (i == 0 ? ": " : ", ") + codes[i];
  } else {
    r.reason = "no_certificate";
    r.detail = "no certificate in the GAL, the sender's installed certificates or LDAP";
  }
}

}  // namespace smimegw::directory::detail
