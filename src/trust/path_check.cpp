// trust: one candidate path through PKIX::check_chain, expiry warning and S/MIME rules.
#include "path_check.hpp"

#include <botan/x509path.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <set>

#include "smimegw/cms/loaded_certificate.hpp"
#include "smimegw/core/time_format.hpp"
#include "smimegw/trust/smime_rules.hpp"

namespace smimegw::trust::detail {

std::string code_for(int s) {
  using C = Botan::Certificate_Status_Code;
  switch (static_cast<C>(s)) {
    case C::OK:
    case C::VALID_CRL_CHECKED:
    case C::OCSP_RESPONSE_GOOD:
    case C::OCSP_SIGNATURE_OK:
      return "";
    case C::CERT_NOT_YET_VALID:
      return "not_yet_valid";
    case C::CERT_HAS_EXPIRED:
      return "expired";
    case C::SIGNATURE_ERROR:
    case C::CERT_PUBKEY_INVALID:
    case C::SIGNATURE_ALGO_BAD_PARAMS:
      return "bad_signature";
    case C::SIGNATURE_METHOD_TOO_WEAK:
    case C::UNTRUSTED_HASH:
    case C::SIGNATURE_ALGO_UNKNOWN:
      return "weak_algorithm";
    case C::CA_CERT_NOT_FOR_CERT_ISSUER:
      return "invalid_ca";
    case C::CERT_CHAIN_TOO_LONG:
      return "path_length";
    case C::NAME_CONSTRAINT_ERROR:
      return "name_constraints";
    case C::CHAIN_LACKS_TRUST_ROOT:
    case C::CANNOT_ESTABLISH_TRUST:
      return "untrusted_root";
    case C::CHAIN_NAME_MISMATCH:
    case C::CERT_ISSUER_NOT_FOUND:
      return "chain_incomplete";
    case C::UNKNOWN_CRITICAL_EXTENSION:
      return "unknown_critical_extension";
    case C::INVALID_USAGE:
      return "wrong_key_usage";
    case C::CERT_IS_REVOKED:
      return "revoked";
    default:
      return "malformed_certificate";
  }
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  return core::iso8601_utc(t);
}

namespace {

const std::set<std::string>& trusted_hashes(bool accept_sha1) {
  static const std::set<std::string> strong = {
      "SHA-224",    "SHA-256",    "SHA-384",    "SHA-512",    "SHA-512-256",
      "SHA-3(224)", "SHA-3(256)", "SHA-3(384)", "SHA-3(512)", "Pure"};
  static const std::set<std::string> with_sha1 = [] {
    auto s = strong;
    s.insert("SHA-160");
    s.insert("SHA-1");
    return s;
  }();
  return accept_sha1 ? with_sha1 : strong;
}

}  // namespace

std::optional<PathMemo::Codes> PathMemo::find(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return std::nullopt;
  return it->second;
}

void PathMemo::put(const std::string& key, Codes codes) {
  std::lock_guard lock(mu_);
  if (map_.size() >= capacity_) map_.clear();
  map_[key] = std::move(codes);
}

namespace {

bool time_code(int s) {
  using C = Botan::Certificate_Status_Code;
  return s == static_cast<int>(C::CERT_NOT_YET_VALID) || s == static_cast<int>(C::CERT_HAS_EXPIRED);
}

// RFC 5280 §4.1.2.5 "no well-defined expiration" (notAfter 99991231235959Z): Botan reads such a
// certificate only with a stand-in time (cms::load_certificate), so check_chain verifies the
// issuer's signature over a TBS that was never signed and reports SIGNATURE_ERROR. Such an error is
// withdrawn only when the issuer's key verifies the signature over the original encoding.
bool no_expiry_signature_valid(const std::vector<CertEntry>& path, std::size_t i) {
  auto original = cms::no_expiry_original(*path[i].cert);
  if (!original) return false;
  const auto& issuer = *path[std::min(i + 1, path.size() - 1)].cert;
  try {
    std::unique_ptr<Botan::Public_Key> key(issuer.subject_public_key());
    return key && cms::issuer_signature_valid(*original, *key);
  } catch (const std::exception&) {
    return false;
  }
}

// check_chain without its validity codes (see PathMemo).
PathMemo::Codes time_free_codes(const std::vector<CertEntry>& path, const ValidationRequest& req,
                                const ValidatorOptions& opt) {
  std::vector<std::shared_ptr<const Botan::X509_Certificate>> chain;
  for (const auto& e : path) chain.push_back(e.cert);
  auto status = Botan::PKIX::check_chain(chain, req.at, "", Botan::Usage_Type::UNSPECIFIED,
                                         opt.min_key_strength, trusted_hashes(opt.accept_sha1));
  PathMemo::Codes out(status.size());
  constexpr int kSignatureError = static_cast<int>(Botan::Certificate_Status_Code::SIGNATURE_ERROR);
  for (std::size_t i = 0; i < status.size(); ++i)
    for (auto s : status[i]) {
      const int code = static_cast<int>(s);
      if (time_code(code)) continue;
      if (code == kSignatureError && i < path.size() && no_expiry_signature_valid(path, i))
        continue;
      out[i].push_back(code);
    }
  return out;
}

}  // namespace

PathVerdict check_path(const std::vector<CertEntry>& path, const ValidationRequest& req,
                       const ValidatorOptions& opt, CrlCache& crls, PathMemo* memo,
                       OcspClient* ocsp) {
  PathVerdict v;
  try {
    std::string key = std::to_string(opt.min_key_strength) + (opt.accept_sha1 ? "s" : "");
    for (const auto& e : path) key += "|" + e.fp;
    std::optional<PathMemo::Codes> codes = memo ? memo->find(key) : std::nullopt;
    if (!codes) {
      codes = time_free_codes(path, req, opt);
      if (memo) memo->put(key, *codes);
    }
    for (std::size_t i = 0; i < path.size(); ++i) {
      const Botan::X509_Time at(req.at);
      if (at < path[i].cert->not_before())
        v.errors.push_back({"not_yet_valid", "Certificate is not yet valid", i});
      if (at > path[i].cert->not_after())
        v.errors.push_back({"expired", "Certificate has expired", i});
      for (int s : (*codes)[i]) {
        auto code = code_for(s);
        if (!code.empty())
          v.errors.push_back(
              {code, Botan::to_string(static_cast<Botan::Certificate_Status_Code>(s)), i});
      }
    }
  } catch (const std::exception&) {
    v.errors.push_back({"malformed_certificate", "path check failed on undecodable data", 0});
  }

  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& not_after = path[i].cert->not_after();
    if (Botan::X509_Time(req.at) <= not_after &&
        Botan::X509_Time(req.at + opt.expiry_warning) > not_after)
      v.warnings.push_back(
          {"expiring_soon", "certificate expires " + not_after.readable_string(), i});
  }

  if (req.revocation != RevocationMode::off) check_revocation(path, req, opt, crls, ocsp, v);

  for (auto& f :
       check_smime_rules(*path.front().cert, req.operation, req.address, req.proxy_addresses))
    v.errors.push_back(std::move(f));
  return v;
}

}  // namespace smimegw::trust::detail
