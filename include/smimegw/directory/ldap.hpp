// directory: recipient certificates from LDAP directories (ARCHITECTURE §7).
//
// Endpoints are configured as `ldap://host`, `ldap://host:389`, `ldaps://host:636`, `host` or
// `host:389` (ldap, port 389 unless given; ldaps defaults to 636); an LDAP URL may add a search
// base (`ldap://host/dc=example,dc=com`), otherwise the server's namingContexts (root DSE) are
// searched. Each lookup binds anonymously and searches the subtree with `(mail=ADDRESS)` (RFC 4515
// escaping) for `userSMIMECertificate;binary` (a DER certificate or PKCS#7 certs-only),
// `userSMIMECertificate` (how OpenLDAP returns that Binary-syntax attribute) and
// `userCertificate;binary` (RFC 4523).
//
// libldap is blocking, so searches run on the directory's own threads; lookup() is awaitable and
// never blocks the caller's event loop. Each operation is bounded by the connect and search
// timeouts, the size limit and the value limits. Answers — certificates found and "none" — are
// cached per (endpoint, address) for cache_ttl; failures are not.
// Errors (values, never exceptions):
//   bad_ldap_endpoint  the endpoint text is not one of the forms above
//   ldap_unavailable   connection refused/reset, host unknown, server busy or unavailable
//   lookup_timeout     connect, bind or search took longer than its timeout
//   ldap_garbage       the server's answer is not LDAP, or values are not certificates
//   ldap_error         any other LDAP result code (message says which)
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::directory {

struct LdapEndpoint {
  std::string text;  ///< as configured (used in logs and as the source name "ldap:<text>")
  bool tls = false;  ///< ldaps
  std::string host;
  std::uint16_t port = 389;
  std::string base_dn;  ///< empty: search every namingContext of the root DSE
  /// "ldap://host:port" or "ldaps://host:port" (IPv6 hosts in brackets).
  std::string uri() const;
};

/// Parses one endpoint (see the header comment); `bad_ldap_endpoint` with the reason otherwise.
core::Result<LdapEndpoint> parse_ldap_endpoint(std::string_view text);

/// Parses every endpoint; the first bad one is reported as "ldap.endpoints[i]: ...".
core::Result<std::vector<LdapEndpoint>> parse_ldap_endpoints(const std::vector<std::string>& texts);

/// RFC 4515 §3 escaping of an assertion value: `*`, `(`, `)`, `\`, NUL and non-ASCII bytes as \XX.
std::string ldap_filter_escape(std::string_view value);

struct LdapOptions {
  std::chrono::milliseconds connect_timeout{5000};  ///< ldap.connect_timeout_ms
  std::chrono::milliseconds search_timeout{10000};  ///< ldap.search_timeout_ms (bind and search)
  int size_limit = 10;                              ///< entries per search (ldap.size_limit)
  std::size_t max_values = 32;                      ///< certificate values read per search
  std::size_t max_value_bytes = 64 * 1024;          ///< larger values are skipped as garbage
  std::chrono::seconds cache_ttl{600};              ///< ldap.cache_ttl_s (0 disables the cache)
  std::size_t cache_capacity = 10000;
  int threads = 4;  ///< searches in parallel
};

/// One certificate value found in the directory.
struct LdapCertificate {
  std::vector<std::uint8_t> der;  ///< one certificate (PKCS#7 values are split)
  std::string attribute;          ///< userSMIMECertificate | userCertificate
  std::string entry_dn;
};

struct LdapAnswer {
  std::vector<LdapCertificate> certificates;  ///< empty: no entry or no certificate
  std::size_t entries = 0;                    ///< entries matched
  std::size_t skipped_values = 0;             ///< values that were not certificates or too large
  bool from_cache = false;
};

/// One blocking search (connect, anonymous bind, search, unbind); see the header comment.
core::Result<LdapAnswer> ldap_search_certificates(const LdapEndpoint& endpoint,
                                                  const std::string& address,
                                                  const LdapOptions& options);

/// The configured endpoints with their thread pool and answer cache.
class LdapDirectory {
 public:
  LdapDirectory(std::vector<LdapEndpoint> endpoints, LdapOptions options);
  ~LdapDirectory();
  LdapDirectory(const LdapDirectory&) = delete;
  LdapDirectory& operator=(const LdapDirectory&) = delete;

  const std::vector<LdapEndpoint>& endpoints() const;
  /// Searches endpoint `index` for `address` (lower-case) on the directory's threads, or answers
  /// from the cache.
  boost::asio::awaitable<core::Result<LdapAnswer>> lookup(std::size_t index, std::string address);
  /// Cache counters (for tests and metrics).
  std::size_t cache_hits() const;
  std::size_t searches() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace smimegw::directory
