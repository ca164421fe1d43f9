// trust: the certificate validation service (ARCHITECTURE §2 invariant 3: fail closed on trust).
//
// Flow of validate():
//  1. result cache: (leaf thumbprint, extra certs, operation, addresses, revocation mode, time
//     bucket) → the earlier answer, unless anchors (AnchorStore::generation), CRLs or fetched
//     certificates changed since;
//  2. chain building by issuer name, AKI/SKI preferred, from the message's certificates, stored
//     intermediates (non-root anchors), the fetched-certificate cache and, when none is found, the
//     AIA caIssuers URLs of the certificate (http only, DER or PKCS#7; each URL once per
//     validation, at most max_aia_fetches; depth ≤ max_path_depth). Every path that ends at an
//     enabled root anchor (self-signed) is a candidate, up to max_candidate_paths;
//  3. per candidate: Botan PKIX::check_chain (signatures, validity, CA flags, path length, name
//     constraints, critical extensions, hash strength), then our revocation check of every
//     non-anchor certificate (OCSP, see below) against its issuer's CRLs (distribution points +
//     held CRLs: signature, cRLSign, thisUpdate/nextUpdate, IDP scope, delta/unknown critical ⇒
//     refused), then the S/MIME rules (smime_rules.hpp) on the leaf and the expiry warning;
//  4. the first valid candidate wins; otherwise the one with the fewest errors is reported.
// OCSP (ocsp.hpp) is asked first for certificates that name a responder when options.ocsp is
// prefer or require. Codes: validation.hpp.
#pragma once

#include <botan/x509cert.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "smimegw/trust/anchor_store.hpp"
#include "smimegw/trust/crl_cache.hpp"
#include "smimegw/trust/crl_store.hpp"
#include "smimegw/trust/ocsp.hpp"
#include "smimegw/trust/validation.hpp"

namespace smimegw::trust {

struct ValidatorOptions {
  std::chrono::days expiry_warning{30};  ///< expiring_soon when notAfter is closer than this
  std::size_t max_path_depth = 8;        ///< certificates in a path, leaf and anchor included
  std::size_t max_candidate_paths = 16;
  std::size_t max_aia_fetches = 4;  ///< caIssuers downloads per validation
  bool fetch_aia = true;
  bool fetch_crls = true;              ///< false: only CRLs already held (files, cache)
  bool accept_sha1 = false;            ///< SHA-1 signatures in the path (else weak_algorithm)
  std::size_t min_key_strength = 110;  ///< issuer key strength (RSA-2048 = 110)
  net::FetchOptions fetch;             ///< CRL and AIA downloads
  std::size_t max_aia_bytes = 1u << 20;
  std::chrono::seconds cache_bucket{300};  ///< validation times in one bucket share a result
  std::size_t cache_capacity = 10000;      ///< 0 disables the result cache
  /// How often AnchorStore::generation() is asked (0: every validation).
  std::chrono::milliseconds anchor_poll{1000};
  OcspMode ocsp = OcspMode::off;  ///< OCSP for certificates that name a responder (ocsp.hpp)
  OcspOptions ocsp_options;       ///< its fetch and accept_sha1 are taken from above
  Poster ocsp_poster;             ///< empty: net::http_post_blocking
};

class Validator {
 public:
  /// Anchors from the virtual certificate collection; `crl_store` may be null. Both must outlive
  /// the validator.
  Validator(AnchorStore& anchors, CrlStore* crl_store, ValidatorOptions options = {},
            Fetcher fetcher = default_fetcher());
  /// Fixed anchors (CLI --trust, tests). Self-signed ones are roots, others intermediates.
  Validator(std::vector<Botan::X509_Certificate> anchors, CrlStore* crl_store,
            ValidatorOptions options = {}, Fetcher fetcher = default_fetcher());
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  /// Never throws for bad certificates; a failing AnchorStore gives errors {anchors_unavailable}.
  ValidationResult validate(const ValidationRequest& request);

  /// The CRL layer (to preload files, count fetches, refresh in the background).
  CrlCache& crls();
  /// The OCSP client and its answer cache.
  OcspClient& ocsp();
  const ValidatorOptions& options() const;
  std::size_t aia_fetch_count() const;
  void clear_result_cache();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace smimegw::trust
