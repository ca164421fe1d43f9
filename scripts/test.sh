#!/usr/bin/env bash
# The test command (README, .ci/run). On a fresh Debian 12 machine: installs what is missing, builds
# Debug with AddressSanitizer + UBSan, starts a throwaway private PostgreSQL, runs every test with
# ctest (each Catch2 test case and each integration test function registered on its own), stops the
# cluster even on failure, and ends with the line "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
source scripts/lib/pg.sh

scripts/install-deps.sh || { echo "test.sh: installing dependencies failed" >&2; exit 1; }
build=${SMIMEGW_TEST_BUILD_DIR:-$here/build/test}
start=$(date +%s)
scripts/build.sh asan "$build" || { echo "test.sh: build failed"; echo "0 passed, 1 failed"; exit 1; }
echo "test.sh: build took $(( $(date +%s) - start )) s" >&2

pgdir=$(mktemp -d /tmp/smimegw-test-pg.XXXXXX)
cleanup() { pg_cluster_stop "$pgdir"; rm -rf "$pgdir"; }
trap cleanup EXIT
pg_cluster_start "$pgdir" fast || { echo "test.sh: cannot start PostgreSQL"; echo "0 passed, 1 failed"; exit 1; }
export SMIMEGW_TEST_PGHOST=$PG_SOCKET_DIR SMIMEGW_TEST_PGUSER=smimegw
export SMIMEGW_SHARED_DIR=${SMIMEGW_SHARED_DIR:-$(cd "$here/.." && pwd)/shared}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:suppressions=$here/tests/asan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

log=$build/ctest.log
tstart=$(date +%s)
(cd "$build" && ctest --output-on-failure -j "${SMIMEGW_TEST_JOBS:-2}" "$@") 2>&1 | tee "$log"
echo "test.sh: tests took $(( $(date +%s) - tstart )) s" >&2

# ---- fuzz step (issue 9, docs/security.md "In CI"): every libFuzzer target briefly, clang with
# ASan+UBSan in build/fuzz; one result per target joins the count below.
# SMIMEGW_FUZZ_SECONDS=0 leaves it out (e.g. when rerunning a few tests by name).
fstart=$(date +%s) fuzz_ok=0 fuzz_failed=0
if [[ ${SMIMEGW_FUZZ_SECONDS:-10} != 0 ]]; then
  FUZZ_JOBS=${FUZZ_JOBS:-$(nproc)} scripts/fuzz.sh ci "${SMIMEGW_FUZZ_SECONDS:-10}" \
    >"$build/fuzz-ci.log" 2>&1
  fuzz_ok=$(grep -c '^fuzz.sh: ci .* ok$' "$build/fuzz-ci.log")
  fuzz_failed=$(grep -c '^fuzz.sh: ci .* FAILED$' "$build/fuzz-ci.log")
  ((fuzz_ok + fuzz_failed > 0)) || fuzz_failed=1  # the clang build failed: see fuzz-ci.log
  grep -E '^fuzz.sh: (ci|ci-input|.* found crashes)' "$build/fuzz-ci.log"
  # a failing target's stack and summary (the input is on the "fuzz.sh: ci-input" line above)
  ((fuzz_failed == 0)) ||
    grep -E '^(SUMMARY|==[0-9]+==ERROR|[[:space:]]+#[0-9]+ )' "$build/fuzz-ci.log" | head -40 || true
  echo "test.sh: fuzzing took $(( $(date +%s) - fstart )) s" >&2
fi
# ---- end of the fuzz step
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
if [[ -z $summary ]]; then
  echo "test.sh: ctest did not report a summary"
  echo "0 passed, 1 failed"
  exit 1
fi
failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
passed=$((total - failed + fuzz_ok))
failed=$((failed + fuzz_failed))
echo "$passed passed, $failed failed"
((failed == 0 && total > 0))
