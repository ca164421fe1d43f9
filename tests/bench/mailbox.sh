#!/usr/bin/env bash
# Mailbox benchmark (issue 8): delta sync of a 10,000-message mailbox in pages of 100 through the
# mailbox service and PostgreSQL store (target < 2 s in total), incremental rounds and message GETs.
# Release build in build/release ($SMIMEGW_BENCH_BUILD), through buildq; a durable private
# PostgreSQL cluster (the defaults of scripts/run.sh) under build/bench-mailbox/pg, or the server of
# $SMIMEGW_BENCH_PGHOST (a socket directory; user $SMIMEGW_BENCH_PGUSER, default smimegw). Prints a
# table.
#
#   tests/bench/mailbox.sh [MESSAGES] [PAGE]      (default 10000 100)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/build/bench-mailbox"
build=${SMIMEGW_BENCH_BUILD:-$root/build/release}
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
bench_build "$build" mailbox_bench
bin="$build/tests/bench/mailbox_bench"

bench_pg_start "$out/pg"
bench_database mailbox_bench_$$

echo "mailbox bench: $(nproc) cores, $(date -u +%FT%TZ), load $(bench_loadavg)"
"$bin" "$BENCH_CONNINFO" "${1:-10000}" "${2:-100}"
