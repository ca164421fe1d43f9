#include "directory_setup.hpp"

#include "smimegw/trust/validation.hpp"

namespace smimegw::app {

directory::ExpansionLimits expansion_limits(const config::Config& cfg) {
  return {.max_depth = static_cast<std::size_t>(cfg.directory.group_max_depth),
          .max_members = static_cast<std::size_t>(cfg.directory.group_max_members),
          .timeout = std::chrono::seconds(cfg.directory.group_expansion_timeout_s)};
}

directory::CertificateServiceOptions certificate_service_options(const config::Config& cfg) {
  directory::CertificateServiceOptions o;
  o.revocation =
      trust::parse_revocation_mode(cfg.trust.revocation).value_or(trust::RevocationMode::require);
  o.harvest = cfg.directory.harvest_certificates;
  o.expiry_warning = std::chrono::days(cfg.trust.expiry_warning_days);
  return o;
}

directory::LdapOptions ldap_options(const config::Config& cfg) {
  directory::LdapOptions o;
  o.connect_timeout = std::chrono::milliseconds(cfg.ldap.connect_timeout_ms);
  o.search_timeout = std::chrono::milliseconds(cfg.ldap.search_timeout_ms);
  o.size_limit = cfg.ldap.size_limit;
  o.cache_ttl = std::chrono::seconds(cfg.ldap.cache_ttl_s);
  return o;
}

core::Result<std::vector<directory::LdapEndpoint>> ldap_endpoints(const config::Config& cfg) {
  return directory::parse_ldap_endpoints(cfg.ldap.endpoints);
}

}  // namespace smimegw::app
