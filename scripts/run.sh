#!/usr/bin/env bash
# Runs smimegw in the foreground on this machine: installs missing Debian packages, builds the
# Release daemon, and — when database.url is empty — creates (first run) and starts a private
# PostgreSQL cluster under var/pg on a unix socket only. Applies migrations, then serves.
# Ctrl-C (or SIGTERM) stops the daemon and the cluster. A second run reuses the cluster and its data.
# Usage: scripts/run.sh [CONFIG]        (default: config/smimegw.yaml)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
config=${1:-${SMIMEGW_CONFIG:-config/smimegw.yaml}}
source scripts/lib/pg.sh

scripts/install-deps.sh
scripts/build.sh release build/release smimegw
bin=build/release/smimegw

"$bin" check-config -c "$config" >/dev/null
embedded=0
if [[ -z ${SMIMEGW_DATABASE_URL:-} ]] &&
   "$bin" check-config -c "$config" 2>/dev/null | grep -q '^database.url: ""'; then
  embedded=1
  mkdir -p var
  pg_cluster_start var/pg
  export SMIMEGW_DATABASE_URL=$PG_CONNINFO
  echo "run.sh: embedded PostgreSQL running on $PG_SOCKET_DIR" >&2
fi

daemon=
cleanup() {
  trap - INT TERM EXIT
  if [[ -n $daemon ]] && kill -0 "$daemon" 2>/dev/null; then
    kill -TERM "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  if ((embedded)); then pg_cluster_stop var/pg; echo "run.sh: embedded PostgreSQL stopped" >&2; fi
}
trap cleanup INT TERM EXIT

"$bin" migrate -c "$config"
"$bin" serve -c "$config" &
daemon=$!
set +e
wait "$daemon"
status=$?
# wait returns early when a trapped signal arrives; then cleanup stops the daemon
exit $status
