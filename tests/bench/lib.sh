# shellcheck shell=bash disable=SC2154,SC2034
# Shared set-up of the benchmark drivers (sourced; needs $root, the repository root): a PostgreSQL
# server and a scratch database, removed again on exit.
#
#   bench_pg_start DIR    the server of $SMIMEGW_BENCH_PGHOST (a socket directory; user
#                         $SMIMEGW_BENCH_PGUSER, default smimegw), or a private durable cluster under
#                         DIR (the defaults of scripts/run.sh); sets BENCH_PGHOST, BENCH_PGUSER and
#                         an EXIT trap that runs bench_cleanup
#   bench_database NAME   creates database NAME on that server; sets BENCH_DB and BENCH_CONNINFO
#   bench_loadavg         the 1/5/15-minute load average
#   bench_build DIR TARGET...  a Release build (through buildq when present)

# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"
BENCH_PSQL=${PG_BIN:-/usr/lib/postgresql/15/bin}/psql
BENCH_OWN_PG=
BENCH_DB=

bench_cleanup() {
  if [[ -n $BENCH_DB ]]; then
    "$BENCH_PSQL" -h "$BENCH_PGHOST" -U "$BENCH_PGUSER" -d postgres -qc \
      "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null || true
  fi
  if [[ -n $BENCH_OWN_PG ]]; then pg_cluster_stop "$BENCH_OWN_PG"; fi
}

bench_pg_start() {
  if [[ -n ${SMIMEGW_BENCH_PGHOST:-} ]]; then
    BENCH_PGHOST=$SMIMEGW_BENCH_PGHOST
    BENCH_PGUSER=${SMIMEGW_BENCH_PGUSER:-smimegw}
  else
    pg_cluster_start "$1"
    BENCH_OWN_PG=$1
    BENCH_PGHOST=$PG_SOCKET_DIR
    BENCH_PGUSER=smimegw
  fi
  trap bench_cleanup EXIT
}

bench_database() {
  "$BENCH_PSQL" -h "$BENCH_PGHOST" -U "$BENCH_PGUSER" -d postgres -qc "CREATE DATABASE $1" >/dev/null
  BENCH_DB=$1
  BENCH_CONNINFO="host=$BENCH_PGHOST user=$BENCH_PGUSER dbname=$1"
}

bench_loadavg() {
  cut -d' ' -f1-3 /proc/loadavg
}

# bench_build DIR TARGET...: a Release build of TARGETs in DIR, through the machine's fair build
# queue (buildq) when there is one.
bench_build() {
  local dir=$1
  shift
  if command -v buildq >/dev/null; then
    buildq "$root/scripts/build.sh" release "$dir" "$@" >/dev/null
  else
    flock /tmp/smimegw-build.lock "$root/scripts/build.sh" release "$dir" "$@" >/dev/null
  fi
}
