// app: the subcommands. Each returns the process exit code: 0 success, 1 the operation failed,
// 2 usage error or bad input (including an invalid configuration).
#pragma once

#include <optional>
#include <string>

#include "smimegw/config/config.hpp"

namespace smimegw::app {

int cmd_serve(int argc, char** argv);
int cmd_migrate(int argc, char** argv);
int cmd_check_config(int argc, char** argv);
int cmd_config_doc(int argc, char** argv);
int cmd_smime(int argc, char** argv);   ///< cmd_smime.cpp
int cmd_pkcs12(int argc, char** argv);  ///< cmd_pkcs12.cpp
int cmd_queue(int argc, char** argv);
int cmd_trace(int argc, char** argv);
int cmd_users(int argc, char** argv);    ///< cmd_users.cpp, cmd_users_certs.cpp
int cmd_keys(int argc, char** argv);     ///< cmd_keys.cpp (key vault)
int cmd_groups(int argc, char** argv);   ///< cmd_groups.cpp
int cmd_resolve(int argc, char** argv);  ///< cmd_resolve.cpp
int cmd_trust(int argc, char** argv);    ///< cmd_trust.cpp
int cmd_pki(int argc, char** argv);      ///< cmd_pki.cpp
int cmd_cert(int argc, char** argv);     ///< cmd_cert.cpp
int cmd_admin(int argc, char** argv);    ///< cmd_admin.cpp

int cmd_labels(int argc, char** argv);        ///< cmd_labels.cpp (sensitivity labels)
int cmd_smime_config(int argc, char** argv);  ///< cmd_smime_config.cpp

/// Loads the configuration, printing every error (one per line) to stderr on failure.
std::optional<config::Config> load_config_or_report(const std::string& path);

/// Prints "smimegw: <message>" to stderr.
void report(const std::string& message);

}  // namespace smimegw::app
