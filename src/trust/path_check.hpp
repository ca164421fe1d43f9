// trust (private): evaluation of one candidate path — Botan's PKIX::check_chain mapped to our
// codes, our CRL revocation check, the S/MIME rules and the expiry warning.
#pragma once

#include <string>
#include <vector>

#include "chain_builder.hpp"
#include "smimegw/trust/crl_cache.hpp"
#include "smimegw/trust/validation.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::trust::detail {

struct PathVerdict {
  std::vector<Finding> errors;
  std::vector<Finding> warnings;
  std::vector<std::string> revocation_sources;
};

PathVerdict check_path(const std::vector<CertEntry>& path, const ValidationRequest& req,
                       const ValidatorOptions& opt, CrlCache& crls);

/// Revocation of path[i] (issuer path[i+1]) for every non-anchor certificate.
void check_revocation(const std::vector<CertEntry>& path, const ValidationRequest& req,
                      const ValidatorOptions& opt, CrlCache& crls, PathVerdict& out);

/// Our code for a Botan status code ("" for the OK/informational ones).
std::string code_for(int botan_status);

/// "2010-01-01T00:00:00Z"
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace smimegw::trust::detail
