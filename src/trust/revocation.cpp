// trust: CRL revocation of a path (RFC 5280 §6.3, simplified to complete CRLs of the issuer).
//
// For each non-anchor certificate the candidate CRLs are those of its distribution points (cache
// or fetch) and every held CRL of its issuer's name. A candidate is usable when: it is not a delta
// CRL, has no unprocessed critical extension, its IDP scope covers the certificate, its AKI does
// not name another key, the issuer may sign CRLs (keyUsage cRLSign), its signature verifies with
// the issuer's key and it is current at the validation time. The first usable one decides; a
// listed serial is `revoked` in every mode. Without a usable CRL the problems found become errors
// followed by `revocation_unknown` (mode require) or warnings (mode prefer).
//
// OCSP (ValidatorOptions::ocsp ≠ off) comes first for a certificate whose AIA names a responder:
// the first verified good/revoked answer decides. Otherwise (responder down, unknown, refused
// answer) mode prefer records the OCSP problems as warnings and goes on with the CRLs, mode require
// treats them like missing CRLs (revocation_unknown; no CRL fallback).
#include <algorithm>

#include "der_scan.hpp"
#include "path_check.hpp"

namespace smimegw::trust::detail {
namespace {

using CrlPtr = std::shared_ptr<const IndexedCrl>;

// "" when `crl` covers `cert`, else the reason code.
std::string scope_problem(const IndexedCrl& crl, const Botan::X509_Certificate& cert,
                          const std::vector<std::string>& cert_dps) {
  if (crl.is_delta()) return "delta_crl_unsupported";
  if (crl.unhandled_critical()) return "crl_unhandled_critical_extension";
  const auto& s = crl.scope();
  if (!s.present) return "";
  if (s.unsupported) return "crl_scope_unsupported";
  if (s.only_attribute_certs) return "crl_unavailable";
  if (s.only_ca_certs && !cert.is_CA_cert()) return "crl_unavailable";
  if (s.only_user_certs && cert.is_CA_cert()) return "crl_unavailable";
  if (!s.uris.empty() && !cert_dps.empty()) {
    bool hit = std::any_of(s.uris.begin(), s.uris.end(), [&](const std::string& u) {
      return std::find(cert_dps.begin(), cert_dps.end(), u) != cert_dps.end();
    });
    if (!hit) return "crl_unavailable";
  }
  return "";
}

// MD5 always, SHA-1 unless accepted, or a signature algorithm Botan does not name.
bool weak_crl_signature(const Botan::X509_CRL& crl, bool accept_sha1) {
  const std::string alg = crl.signature_algorithm().get_oid().to_formatted_string();
  if (alg.find('/') == std::string::npos && alg != "Ed25519") return true;
  if (alg.find("MD5") != std::string::npos || alg.find("MD2") != std::string::npos) return true;
  return !accept_sha1 &&
         (alg.find("SHA-160") != std::string::npos || alg.find("SHA-1)") != std::string::npos);
}

std::string message_for(const std::string& code, const IndexedCrl& crl) {
  std::string where =
      " (CRL of " + crl.crl().issuer_dn().to_string() + " from " + crl.source() + ")";
  if (code == "delta_crl_unsupported") return "delta CRLs are not supported" + where;
  if (code == "crl_unhandled_critical_extension")
    return "CRL has an unknown critical extension" + where;
  if (code == "crl_scope_unsupported") return "CRL scope (reasons/indirect) not supported" + where;
  if (code == "crl_unavailable") return "CRL does not cover this certificate" + where;
  if (code == "crl_issuer_not_allowed") return "issuer may not sign CRLs" + where;
  if (code == "crl_bad_signature") return "CRL signature does not verify" + where;
  if (code == "crl_weak_algorithm")
    return "CRL signed with a weak or unknown algorithm (" +
           crl.crl().signature_algorithm().get_oid().to_formatted_string() + ")" + where;
  if (code == "crl_not_yet_valid") return "CRL thisUpdate is after the validation time" + where;
  if (code == "crl_expired") return "CRL nextUpdate has passed" + where;
  return code + where;
}

// True when an OCSP answer decided for path[i]; else `problems` says why not.
bool ocsp_decides(const Botan::X509_Certificate& cert, const Botan::X509_Certificate& issuer,
                  std::size_t i, const ValidationRequest& req, OcspClient& ocsp,
                  const ValidatorOptions& opt, PathVerdict& out, std::vector<Finding>& problems) {
  for (const auto& url : ocsp_urls(cert)) {
    auto r = ocsp.check(url, cert, issuer, req.at, opt.fetch_crls);
    if (!r) {
      problems.push_back({r.error().code, r.error().message, i});
      continue;
    }
    if (r->status == OcspAnswer::Status::unknown) {
      problems.push_back(
          {"ocsp_unknown", url + ": the responder does not know the certificate", i});
      continue;
    }
    std::string src = "depth " + std::to_string(i) + ": ocsp responder=" + url +
                      " status=" + std::string(to_string(r->status)) +
                      " this_update=" + iso8601(r->this_update) +
                      (r->next_update ? " next_update=" + iso8601(*r->next_update) : "") +
                      " signer=" + r->signer + (r->from_cache ? " cached" : "");
    if (r->status == OcspAnswer::Status::revoked)
      out.errors.push_back({"revoked", "the OCSP responder says the certificate is revoked", i});
    out.revocation_sources.push_back(src);
    return true;
  }
  return false;
}

}  // namespace

void check_revocation(const std::vector<CertEntry>& path, const ValidationRequest& req,
                      const ValidatorOptions& opt, CrlCache& crls, OcspClient* ocsp,
                      PathVerdict& out) {
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    const auto& cert = *path[i].cert;
    const auto& issuer = *path[i + 1].cert;
    std::vector<Finding> problems;
    if (ocsp && opt.ocsp != OcspMode::off && !ocsp_urls(cert).empty()) {
      if (ocsp_decides(cert, issuer, i, req, *ocsp, opt, out, problems)) continue;
      if (opt.ocsp == OcspMode::require) {
        problems.push_back({"revocation_unknown", "no verified OCSP answer", i});
        auto& sink = req.revocation == RevocationMode::require ? out.errors : out.warnings;
        for (auto& p : problems) sink.push_back(std::move(p));
        continue;
      }
      for (auto& p : problems) out.warnings.push_back(std::move(p));
      problems.clear();
    }
    std::vector<CrlPtr> candidates;
    auto dps = crl_distribution_points(cert);
    for (const auto& url : dps) {
      auto r = crls.get(url, req.at, opt.fetch_crls);
      if (r)
        candidates.push_back(*r);
      else
        problems.push_back(
            {"crl_unavailable", url + ": " + r.error().code + " " + r.error().message, i});
    }
    for (auto& c : crls.by_issuer(cert.issuer_dn()))
      if (std::find(candidates.begin(), candidates.end(), c) == candidates.end())
        candidates.push_back(std::move(c));

    // The most recent CRL first (RFC 5280 §6.3.3: use the latest complete CRL).
    std::stable_sort(candidates.begin(), candidates.end(), [](const CrlPtr& a, const CrlPtr& b) {
      return a->this_update() > b->this_update();
    });
    bool decided = false;
    for (const auto& c : candidates) {
      const auto& crl = c->crl();
      if (!(crl.issuer_dn() == cert.issuer_dn())) {
        problems.push_back({"crl_scope_unsupported", message_for("crl_scope_unsupported", *c), i});
        continue;
      }
      const auto& aki = crl.authority_key_id();
      const auto& ski = issuer.subject_key_id();
      if (!aki.empty() && !ski.empty() && aki != ski) continue;  // another key's CRL
      std::string code = scope_problem(*c, cert, dps);
      if (code.empty() && !issuer.allowed_usage(Botan::CRL_SIGN)) code = "crl_issuer_not_allowed";
      if (code.empty() && !c->signature_valid_for(issuer)) code = "crl_bad_signature";
      if (code.empty() && weak_crl_signature(crl, opt.accept_sha1)) code = "crl_weak_algorithm";
      if (code.empty() && c->this_update() > req.at) code = "crl_not_yet_valid";
      if (code.empty() && c->next_update() && *c->next_update() < req.at) code = "crl_expired";
      if (!code.empty()) {
        problems.push_back({code, message_for(code, *c), i});
        continue;
      }
      decided = true;
      std::string src = "depth " + std::to_string(i) +
                        ": crl issuer=" + crl.issuer_dn().to_string() +
                        " this_update=" + iso8601(c->this_update()) + " source=" + c->source();
      if (c->is_listed(cert.serial_number())) {
        out.errors.push_back({"revoked", "certificate is listed on its issuer's CRL", i});
        src += " revoked";
      }
      out.revocation_sources.push_back(src);
      break;
    }
    if (decided) continue;
    if (problems.empty())
      problems.push_back({"crl_unavailable", "no CRL for " + cert.issuer_dn().to_string(), i});
    problems.push_back({"revocation_unknown", "revocation status could not be established", i});
    auto& sink = req.revocation == RevocationMode::require ? out.errors : out.warnings;
    for (auto& p : problems) sink.push_back(std::move(p));
  }
}

}  // namespace smimegw::trust::detail
