#!/usr/bin/env bash
# Sync API benchmark over HTTP (issue 8): through the real sync listener of the Release daemon,
# (1) the initial delta sync of a 10,000-message inbox in pages of 100 (Prefer:
# odata.maxpagesize=100, following @odata.nextLink; target < 2 s in total) and (2) GET
# /v1.0/me/messages/{id} of protected (label-encrypted, sealed) messages at 50 concurrent
# keep-alive clients with wrk (target p99 ≤ 10 ms). The mailbox is filled by tests/bench/sync_api.py
# (SMTP deliveries through the daemon, plain ones cloned in SQL). Private PostgreSQL cluster under
# build/bench-sync/pg (tests/bench/lib.sh), or the server of $SMIMEGW_BENCH_PGHOST. Prints a table.
#
# The GETs run back to back on every connection (the server saturated: latency ≈ CONNS ÷ rate) and
# with PAUSE_MS of think time between a client's requests (not counted in the latency), fixed
# (clients that start together stay in step: bursts of CONNS requests) and random (exponential,
# mean PAUSE_MS: independent clients). Botan's raw RSA-3072 private-key rate on one core is
# printed as the cost a GET would have if it unwrapped the content key with the RSA gateway key
# (copies sealed before the seal key existed); sealed copies open with an AES key unwrap under the
# gateway key's seal key (KEKRecipientInfo, src/directory/gateway_key.cpp).
#
#   tests/bench/sync_api.sh [MESSAGES] [PROTECTED] [ROUNDS] [SECONDS] [CONNS] [PAUSE_MS]
#                                                         (default 10000 300 3 20 50 500)
#   SMIMEGW_BENCH_BIN: the Release binary (default build/release/smimegw, built with
#   `buildq scripts/build.sh release build/release smimegw`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages=${1:-10000}
protected=${2:-300}
rounds=${3:-3}
seconds=${4:-20}
conns=${5:-50}
pause=${6:-500}
bin=${SMIMEGW_BENCH_BIN:-$root/build/release/smimegw}
[[ -x $bin ]] || { echo "sync_api.sh: no Release binary at $bin (buildq scripts/build.sh release build/release smimegw)" >&2; exit 1; }
for tool in wrk slapd openssl botan; do
  command -v $tool >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    { echo "sync_api.sh: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
out="$root/build/bench-sync"
# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
bench_pg_start "$out/pg"

rsa3072() {
  botan speed --msec=2000 --provider=base RSA 2>/dev/null | grep '^RSA-3072 .* sign/sec' |
    awk '{for (i=1;i<=NF;i++) if ($i == "sign/sec;") {print int($(i-1)); exit}}'
}
dec1=$(rsa3072)
load_before=$(bench_loadavg)
result=$(SMIMEGW_TEST_PGHOST=$BENCH_PGHOST SMIMEGW_TEST_PGUSER=$BENCH_PGUSER SMIMEGW_BIN=$bin \
  SMIMEGW_SOURCE_DIR=$root BENCH_PG_DIR=${BENCH_OWN_PG:-} python3 "$root/tests/bench/sync_api.py" \
  "$messages" "$protected" "$rounds" "$seconds" "$conns" "$pause")
dec2=$(rsa3072)
get() { sed -n "s/^$1=//p" <<<"$result"; }
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2://p"; }

echo "sync API bench: $(nproc) cores, $(date -u +%FT%TZ), $messages messages ($protected sealed)," \
  "load before $load_before, after $(bench_loadavg)"
echo "Botan RSA-3072 private-key operations/s (sign) on one core, before / after: $dec1 / $dec2"
echo "fill: plain clones + SMTP $(get fill_seconds) s; $protected protected by SMTP $(get protected_seconds) s"
printf '%-34s %10s %7s %12s %12s %12s\n' "delta sync, pages of 100" "total ms" "pages" \
  "page p50 ms" "page p99 ms" "page max ms"
for ((n = 1; n <= rounds; n++)); do
  r=$(get sync$n)
  printf '%-34s %10s %7s %12s %12s %12s\n' "  round $n (target < 2000 ms)" "$(field "$r" total_ms)" \
    "$(field "$r" pages)" "$(field "$r" page_p50_ms)" "$(field "$r" page_p99_ms)" "$(field "$r" page_max_ms)"
done
printf '%-46s %8s %8s %8s %8s %9s %9s %6s\n' "GET sealed message, $conns clients" "req/s" "p50 ms" \
  "p90 ms" "p99 ms" "cpu ms/rq" "pg ms/rq" "load"
for ((n = 1; n <= 3 * rounds; n++)); do
  r=$(get get$n)
  p=$(field "$r" pause_ms)
  if [[ $p == 0 ]]; then what="back to back"
  elif [[ $p == -* ]]; then what="random pause ~${p#-} ms"
  else what="$p ms pause"; fi
  printf '%-46s %8s %8s %8s %8s %9s %9s %6s\n' "  round $(((n + 2) / 3)), $what (p99 ≤ 10)" \
    "$(field "$r" rps)" "$(field "$r" p50_ms)" "$(field "$r" p90_ms)" "$(field "$r" p99_ms)" \
    "$(field "$r" daemon_cpu_ms)" "$(field "$r" pg_cpu_ms)" "$(field "$r" load)"
done
