// app: the `smimegw` command-line dispatcher (serve, migrate, check-config, version, ...).
#pragma once

namespace smimegw::app {

/// Runs one subcommand. Exit codes: 0 success, 1 the operation failed, 2 usage or bad input.
int run_cli(int argc, char** argv);

}  // namespace smimegw::app
