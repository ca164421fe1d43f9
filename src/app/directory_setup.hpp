// app: directory options from the configuration (groups, LDAP), shared by the groups/resolve
// subcommands and the daemon.
#pragma once

#include "smimegw/config/config.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/group_expansion.hpp"
#include "smimegw/directory/ldap.hpp"

namespace smimegw::app {

directory::ExpansionLimits expansion_limits(const config::Config& cfg);
directory::LdapOptions ldap_options(const config::Config& cfg);
/// trust.revocation, directory.harvest_certificates and trust.expiry_warning_days, for every
/// CertificateService the daemon and the CLI build (imports, sync API, harvesting).
directory::CertificateServiceOptions certificate_service_options(const config::Config& cfg);
/// ldap.endpoints parsed; the error names the bad entry ("ldap.endpoints[1]: ...").
core::Result<std::vector<directory::LdapEndpoint>> ldap_endpoints(const config::Config& cfg);

}  // namespace smimegw::app
