#!/usr/bin/env bash
# ThreadSanitizer run of the concurrency tests (issue 9 item 2): the durable queue and its workers
# (test_app_queue: intake group commit, claims, leases, heartbeat, DSNs), the PostgreSQL pool
# (test_db), the HTTP server (test_http: keep-alive, pipelining, limits, shutdown) and the SMTP
# server and relay client (test_smtp: sessions on a two-thread io_context, client pool).
#
#   scripts/tsan.sh [CATCH_ARGS...]      e.g. scripts/tsan.sh "[pool]"
#
# Builds only those test executables in their own directory (build/tsan, Debug,
# -fsanitize=thread; through `buildq` when the machine has that fair build queue), starts a
# throwaway PostgreSQL unless SMIMEGW_TEST_PGHOST is set, runs each executable with
# TSAN_OPTIONS=halt_on_error=0 and prints per executable the Catch2 result and the number of
# ThreadSanitizer reports. Exit 0 only when every test passed and TSan reported nothing.
# (libpq, Botan and the other system libraries are not instrumented: races inside them are not
# seen, races between our threads around them are.)
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
source scripts/lib/pg.sh
dir=${SMIMEGW_TSAN_BUILD_DIR:-$here/build/tsan}
targets=(test_app_queue test_db test_http test_smtp)
jobs=${SMIMEGW_BUILD_JOBS:-$(nproc)}
queue=()
command -v buildq >/dev/null && queue=(buildq)

export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$here}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
# -Wno-tsan: g++ 12 warns (and -Werror fails) on std::atomic_thread_fence, which Asio uses
flags="-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan"
build() {
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS=$flags" \
    -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
    -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread >/dev/null &&
    cmake --build "$dir" -j "$jobs" --target "${targets[@]}"
}
export -f build
export here dir flags jobs
export targets_list="${targets[*]}"
start=$(date +%s)
"${queue[@]}" bash -c 'targets=($targets_list); build' || { echo "tsan.sh: build failed" >&2; exit 1; }
echo "tsan.sh: build took $(( $(date +%s) - start )) s" >&2

if [[ -z ${SMIMEGW_TEST_PGHOST:-} ]]; then
  pgdir=$(mktemp -d /tmp/smimegw-tsan-pg.XXXXXX)
  trap 'pg_cluster_stop "$pgdir"; rm -rf "$pgdir"' EXIT
  pg_cluster_start "$pgdir" fast || { echo "tsan.sh: cannot start PostgreSQL" >&2; exit 1; }
  export SMIMEGW_TEST_PGHOST=$PG_SOCKET_DIR SMIMEGW_TEST_PGUSER=smimegw
fi
export SMIMEGW_TEST_PGUSER=${SMIMEGW_TEST_PGUSER:-smimegw}
export SMIMEGW_SHARED_DIR=${SMIMEGW_SHARED_DIR:-$(cd "$here/.." && pwd)/shared}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1:history_size=4}

status=0
for t in "${targets[@]}"; do
  log=$dir/$t.tsan.log
  bin=$(find "$dir" -name "$t" -type f -perm -u+x | head -1)
  tstart=$(date +%s)
  "$bin" "$@" >"$log" 2>&1
  rc=$?
  reports=$(grep -c '^WARNING: ThreadSanitizer' "$log")
  summary=$(grep -E '^(All tests passed|test cases:)' "$log" | tail -1)
  printf '%-16s exit %d  %s  tsan reports: %d  (%d s, %s)\n' "$t" "$rc" "${summary:-no summary}" \
    "$reports" $(( $(date +%s) - tstart )) "$log"
  ((rc == 0 && reports == 0)) || status=1
done
exit $status
