// trust (private): evaluation of one candidate path — Botan's PKIX::check_chain mapped to our
// codes, our CRL revocation check, the S/MIME rules and the expiry warning.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chain_builder.hpp"
#include "smimegw/trust/crl_cache.hpp"
#include "smimegw/trust/ocsp.hpp"
#include "smimegw/trust/validation.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::trust::detail {

struct PathVerdict {
  std::vector<Finding> errors;
  std::vector<Finding> warnings;
  std::vector<std::string> revocation_sources;
};

/// Botan's check_chain results per path (thumbprints), without the two time-dependent codes: the
/// signature checks dominate (Botan 2 rebuilds Montgomery parameters for every key load, ~0.5 ms
/// per RSA-2048 issuer), and nothing else in them depends on the validation time.
class PathMemo {
 public:
  using Codes = std::vector<std::vector<int>>;
  explicit PathMemo(std::size_t capacity) : capacity_(capacity) {}
  std::optional<Codes> find(const std::string& key) const;
  void put(const std::string& key, Codes codes);

 private:
  std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Codes> map_;
};

PathVerdict check_path(const std::vector<CertEntry>& path, const ValidationRequest& req,
                       const ValidatorOptions& opt, CrlCache& crls, PathMemo* memo = nullptr,
                       OcspClient* ocsp = nullptr);

/// Revocation of path[i] (issuer path[i+1]) for every non-anchor certificate: OCSP first when
/// opt.ocsp is not off and the certificate names a responder, then CRLs (unless OCSP is required).
void check_revocation(const std::vector<CertEntry>& path, const ValidationRequest& req,
                      const ValidatorOptions& opt, CrlCache& crls, OcspClient* ocsp,
                      PathVerdict& out);

/// Our code for a Botan status code ("" for the OK/informational ones).
std::string code_for(int botan_status);

/// "2010-01-01T00:00:00Z"
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace smimegw::trust::detail
