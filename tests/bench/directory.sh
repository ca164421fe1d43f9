#!/usr/bin/env bash
# Directory benchmark (issue 6): resolve 500 GAL recipients (< 50 ms) and expand a 5,000-member
# nested group (< 500 ms) through the PostgreSQL stores, the trust validator and the resolver.
# Release build in build/bench-directory; a private PostgreSQL cluster under
# build/bench-directory/pg, or the server of $SMIMEGW_BENCH_PGHOST (a socket directory; user
# $SMIMEGW_BENCH_PGUSER, default smimegw). Prints a table.
#
#   tests/bench/directory.sh [ROUNDS]      (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=${SMIMEGW_BENCH_BUILD:-$root/build/bench-directory}
flock /tmp/smimegw-build.lock "$root/scripts/build.sh" release "$out" directory_bench >/dev/null
bin="$out/tests/bench/directory_bench"

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
db=directory_bench_$$
psql=${PG_BIN:-/usr/lib/postgresql/15/bin}/psql
"$psql" -h "$host" -U "$user" -d postgres -qc "CREATE DATABASE $db" >/dev/null
cleanup_db() { "$psql" -h "$host" -U "$user" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true; }
if [[ -n ${SMIMEGW_BENCH_PGHOST:-} ]]; then trap cleanup_db EXIT; else trap 'cleanup_db; pg_cluster_stop "$out/pg"' EXIT; fi
"$bin" "host=$host user=$user dbname=$db" "${1:-20}"
