// trust: OCSP (RFC 6960) for certificates that name a responder in AIA id-ad-ocsp.
//
// Flow of OcspClient::check(url, cert, issuer, at): a cached answer for (url, issuer key, serial)
// that is fresh at `at` is returned as is; otherwise a request for one CertID (SHA-1 hashes, as
// every responder understands; no nonce — RFC 5019 §2.1.1: freshness comes from thisUpdate /
// nextUpdate) is POSTed as application/ocsp-request with the CRL fetch timeouts and a size cap,
// and the answer is verified before it is used:
//   - responseStatus successful, responseType id-pkix-ocsp-basic;
//   - the signer is the issuer itself (responderID byName = issuer subject, or byKey = SHA-1 of
//     the issuer's public key), or a delegated responder certificate carried in the response that
//     the issuer signed, with extendedKeyUsage id-kp-OCSPSigning, valid at `at` (RFC 6960 §4.2.2.2;
//     id-pkix-ocsp-nocheck is assumed: the responder certificate is not itself revocation-checked);
//   - the response signature verifies with the signer's key (SHA-1 only with accept_sha1);
//   - a SingleResponse whose CertID matches the certificate (serial, issuer name and key hash);
//   - thisUpdate ≤ at + clock skew, and at ≤ nextUpdate (or, without nextUpdate, at ≤ thisUpdate +
//     max_age).
// Verified answers are cached until nextUpdate (or thisUpdate + max_age). Failures are values:
//   ocsp_unavailable             the responder could not be reached (the net code is in the
//   message) ocsp_malformed               not an OCSP response ocsp_error_status responseStatus
//   other than successful (tryLater, unauthorized, ...) ocsp_unauthorized_responder  signed by
//   neither the issuer nor a delegated OCSP signer of it ocsp_bad_signature           the response
//   signature does not verify ocsp_weak_algorithm          SHA-1/MD5 or unknown signature algorithm
//   ocsp_cert_not_listed         no answer for this certificate's CertID
//   ocsp_expired / ocsp_not_yet_valid   outside thisUpdate / nextUpdate at the validation time
// A verified answer may still say revoked or unknown: OcspAnswer::status.
#pragma once

#include <botan/x509cert.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "smimegw/core/result.hpp"
#include "smimegw/net/http_fetch.hpp"

namespace smimegw::trust {

/// When OCSP is asked (config trust.ocsp).
enum class OcspMode {
  off,      ///< CRLs only
  prefer,   ///< OCSP first when the certificate names a responder; CRLs when it gives no answer
  require,  ///< a certificate that names a responder needs a verified OCSP answer (no CRL fallback)
};
std::string_view to_string(OcspMode mode);
std::optional<OcspMode> parse_ocsp_mode(std::string_view s);

/// POSTs `body` to `url` (net::http_post_blocking by default; tests may count calls).
using Poster = std::function<core::Result<net::FetchResult>(
    const std::string& url, const std::string& content_type, const std::string& body,
    const net::FetchOptions& opts)>;
Poster default_poster();

struct OcspOptions {
  net::FetchOptions fetch;
  std::size_t max_bytes = 64u << 10;     ///< response size cap
  std::chrono::seconds max_age{3600};    ///< validity of an answer without nextUpdate
  std::chrono::seconds clock_skew{300};  ///< tolerated responder clock ahead of ours
  bool accept_sha1 = false;              ///< SHA-1-signed responses
  std::size_t cache_capacity = 10000;
};

struct OcspAnswer {
  enum class Status { good, revoked, unknown };
  using time_point = std::chrono::system_clock::time_point;
  Status status = Status::unknown;
  time_point this_update;
  std::optional<time_point> next_update;
  std::string url;
  std::string signer;  ///< "issuer" or "delegated <subject DN>"
  bool from_cache = false;
};
std::string_view to_string(OcspAnswer::Status s);

/// Verifies one DER OCSPResponse for `cert` issued by `issuer` at `at` (no I/O; see the header).
core::Result<OcspAnswer> verify_ocsp_response(std::span<const std::uint8_t> der,
                                              const Botan::X509_Certificate& cert,
                                              const Botan::X509_Certificate& issuer,
                                              std::chrono::system_clock::time_point at,
                                              const OcspOptions& options);

/// The DER OCSPRequest for one certificate.
std::vector<std::uint8_t> make_ocsp_request(const Botan::X509_Certificate& cert,
                                            const Botan::X509_Certificate& issuer);

class OcspClient {
 public:
  using time_point = std::chrono::system_clock::time_point;
  explicit OcspClient(OcspOptions options = {}, Poster poster = default_poster());

  /// The verified answer of the responder at `url` (see the header comment). Thread-safe.
  core::Result<OcspAnswer> check(const std::string& url, const Botan::X509_Certificate& cert,
                                 const Botan::X509_Certificate& issuer, time_point at,
                                 bool allow_fetch = true);

  std::uint64_t generation() const { return generation_.load(); }  ///< bumps on new answers
  std::size_t request_count() const { return requests_.load(); }   ///< network requests made

 private:
  struct Cached {
    OcspAnswer answer;
    time_point expires;
  };
  OcspOptions opt_;
  Poster poster_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> requests_{0};
};

}  // namespace smimegw::trust
