#!/bin/sh
# Container entry point: optionally applies migrations (SMIMEGW_MIGRATE_ON_START=1), then runs the
# given smimegw subcommand as PID 1's only child so SIGTERM reaches the daemon.
set -eu
if [ "${SMIMEGW_MIGRATE_ON_START:-0}" = "1" ] && [ "${1:-}" = "serve" ]; then
  /usr/local/bin/smimegw migrate -c "${SMIMEGW_CONFIG:-/etc/smimegw/smimegw.yaml}"
fi
exec /usr/local/bin/smimegw "$@"
