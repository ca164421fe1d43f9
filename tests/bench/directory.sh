#!/usr/bin/env bash
# Directory benchmark (issue 6): resolve 500 GAL recipients (< 50 ms) and expand a 5,000-member
# nested group (< 500 ms) through the PostgreSQL stores, the trust validator and the resolver.
# Release build in build/release ($SMIMEGW_BENCH_BUILD), through buildq; a private cluster under
# build/bench-directory/pg, or the server of $SMIMEGW_BENCH_PGHOST (a socket directory; user
# $SMIMEGW_BENCH_PGUSER, default smimegw). Prints a table.
#
#   tests/bench/directory.sh [ROUNDS]      (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/build/bench-directory"
build=${SMIMEGW_BENCH_BUILD:-$root/build/release}
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
bench_build "$build" directory_bench
bin="$build/tests/bench/directory_bench"

bench_pg_start "$out/pg"
bench_database directory_bench_$$
"$bin" "$BENCH_CONNINFO" "${1:-20}"
