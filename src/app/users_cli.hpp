// app: the certificate subcommands of `smimegw users` (cmd_users_certs.cpp) and their output
// (users_render.cpp).
#pragma once

#include <string>

#include "args.hpp"
#include "smimegw/directory/certificate_service.hpp"

namespace smimegw::app {

int users_show(const Args& a);           ///< users show ADDRESS [--json]
int users_import_pkcs12(const Args& a);  ///< users import-pkcs12 ADDRESS FILE --password-file P
int users_export_pkcs12(const Args& a);  ///< users export-pkcs12 ADDRESS OUT --password-file P

/// `users show` as text (one "key: value" per line) or as one JSON object.
std::string render_user_text(const directory::UserReport& r);
std::string render_user_json(const directory::UserReport& r);

}  // namespace smimegw::app
