#!/usr/bin/env bash
# Mailbox benchmark (issue 8): delta sync of a 10,000-message mailbox in pages of 100 through the
# mailbox service and PostgreSQL store (target < 2 s in total), incremental rounds and message GETs.
# Release build in build/bench-mailbox; a durable private PostgreSQL cluster (the defaults of
# scripts/run.sh) under build/bench-mailbox/pg, or the server of $SMIMEGW_BENCH_PGHOST (a socket
# directory; user $SMIMEGW_BENCH_PGUSER, default smimegw). Prints a table.
#
#   tests/bench/mailbox.sh [MESSAGES] [PAGE]      (default 10000 100)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/build/bench-mailbox"
flock /tmp/smimegw-build.lock "$root/scripts/build.sh" release "$out" mailbox_bench >/dev/null
bin="$out/tests/bench/mailbox_bench"

if [[ -n ${SMIMEGW_BENCH_PGHOST:-} ]]; then
  host=$SMIMEGW_BENCH_PGHOST
  user=${SMIMEGW_BENCH_PGUSER:-smimegw}
else
  # shellcheck source=scripts/lib/pg.sh
  source "$root/scripts/lib/pg.sh"
  pg_cluster_start "$out/pg"
  trap 'pg_cluster_stop "$out/pg"' EXIT
  host=$PG_SOCKET_DIR
  user=smimegw
fi
db=mailbox_bench_$$
psql=${PG_BIN:-/usr/lib/postgresql/15/bin}/psql
"$psql" -h "$host" -U "$user" -d postgres -qc "CREATE DATABASE $db" >/dev/null
cleanup_db() { "$psql" -h "$host" -U "$user" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true; }
if [[ -n ${SMIMEGW_BENCH_PGHOST:-} ]]; then trap cleanup_db EXIT; else trap 'cleanup_db; pg_cluster_stop "$out/pg"' EXIT; fi

echo "mailbox bench: $(nproc) cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" "host=$host user=$user dbname=$db" "${1:-10000}" "${2:-100}"
