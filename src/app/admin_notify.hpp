// app: the mail a user receives when an administrator pushes a PKCS#12 to the user's mailbox
// (issue 8: "the user gets a notification mail", admin.push_notification). A short text/plain
// message from postmaster@<first accepted domain> naming each certificate (thumbprint, usage,
// validity) and saying that it reaches the user's devices at their next synchronisation.
//
// It is queued like a DSN (source dsn, null envelope sender, so it can never bounce back) with the
// user as a local recipient, and delivered to the mailbox by the workers through the normal local
// delivery path.
#pragma once

#include <string>
#include <vector>

#include "smimegw/config/config.hpp"
#include "smimegw/http/admin/directory_services.hpp"
#include "smimegw/transport/queue_store.hpp"

namespace smimegw::app {

/// The postmaster address: postmaster@ the first accepted domain (else the hostname).
std::string postmaster_address(const config::Config& cfg);

/// The queued notification for `address` about `certs`.
transport::NewMessage push_notification(const config::Config& cfg, const std::string& address,
                                        const std::vector<http::admin::UserCertificateView>& certs);

}  // namespace smimegw::app
