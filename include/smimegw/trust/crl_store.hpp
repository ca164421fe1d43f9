// trust: storage interface of the revocation cache (tables crl_cache, fetched_certificates).
// Declared here, implemented by the db module (src/db/crl_store.cpp). Like every *_store.hpp it
// includes only core and std, so db can implement it without linking trust.
//
// The trust module keeps an in-memory layer above this store (CrlCache) and writes through to it,
// so CRLs and AIA-fetched issuers survive restarts and are shared by gateway instances.
// Calls are blocking and may fail with db_unavailable (transient) or db_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::trust {

struct StoredCrl {
  std::string url;     ///< distribution point it came from (unique key)
  std::string issuer;  ///< issuer DN, for listings
  std::vector<std::uint8_t> der;
  std::chrono::system_clock::time_point this_update;
  std::optional<std::chrono::system_clock::time_point> next_update;
  std::chrono::system_clock::time_point fetched_at;
};

struct StoredFetchedCertificate {
  std::string url;     ///< AIA caIssuers URL it came from
  std::string sha256;  ///< hex thumbprint of der (unique key)
  std::string subject;
  std::vector<std::uint8_t> der;
  std::chrono::system_clock::time_point fetched_at;
};

class CrlStore {
 public:
  virtual ~CrlStore() = default;
  virtual core::Result<std::optional<StoredCrl>> find_crl(const std::string& url) = 0;
  /// Inserts or replaces the CRL of `crl.url`.
  virtual core::Status put_crl(const StoredCrl& crl) = 0;
  virtual core::Result<std::vector<StoredCrl>> list_crls() = 0;
  /// Inserts a certificate (a known thumbprint is kept as it is).
  virtual core::Status put_fetched_certificate(const StoredFetchedCertificate& cert) = 0;
  virtual core::Result<std::vector<StoredFetchedCertificate>> fetched_certificates() = 0;
};

}  // namespace smimegw::trust
