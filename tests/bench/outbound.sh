#!/usr/bin/env bash
# Outbound sign+encrypt benchmark (issue 7): end-to-end signed + encrypted submission (10 KiB,
# RSA-2048, one external recipient found in LDAP) through the Release daemon to smtp-sink, next to
# Botan's raw RSA-2048 signing rate measured in the same run (target: delivered/s ≥ 0.6 × sign/s ×
# cores). Uses the same release binary as relay.sh (build/bench-relay), a private PostgreSQL
# cluster under build/bench-outbound/pg and a private slapd. Prints a table.
#
#   tests/bench/outbound.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]     (default 2000 10 10240)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages=${1:-2000}
sessions=${2:-10}
size=${3:-10240}
bin=${SMIMEGW_BENCH_BIN:-}
if [[ -z $bin ]]; then
  flock /tmp/smimegw-build.lock "$root/scripts/build.sh" release "$root/build/bench-relay" smimegw >/dev/null
  bin=$(find "$root/build/bench-relay" -name smimegw -type f -perm -u+x | head -1)
fi
for tool in smtp-sink botan slapd openssl; do
  command -v $tool >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    { echo "outbound.sh: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
out="$root/build/bench-outbound"
mkdir -p "$out"
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"
pg_cluster_start "$out/pg"
trap 'pg_cluster_stop "$out/pg"' EXIT

cores=$(nproc)
sign=$(botan speed --msec=3000 --provider=base RSA 2>/dev/null |
  awk '/^RSA-2048/ {for (i=1;i<=NF;i++) if ($i == "sign/sec;") {print $(i-1); exit}}')
sign=${sign%%.*}
result=$(SMIMEGW_TEST_PGHOST=$PG_SOCKET_DIR SMIMEGW_TEST_PGUSER=smimegw SMIMEGW_BIN=$bin \
  SMIMEGW_SOURCE_DIR=$root python3 "$root/tests/bench/outbound.py" "$messages" "$sessions" "$size")
get() { sed -n "s/^$1=//p" <<<"$result"; }
rate=$(get delivered_per_s)
target=$(awk -v s="$sign" -v c="$cores" 'BEGIN {printf "%.0f", 0.6 * s * c}')
echo "outbound bench: $cores cores, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s %12s\n' "measure" "value"
printf '%-38s %12s\n' "Botan RSA-2048 sign/s (one core)" "$sign"
printf '%-38s %12s\n' "target 0.6 x sign/s x cores" "$target"
printf '%-38s %12s\n' "messages accepted / delivered" "$(get accepted) / $(get delivered)"
printf '%-38s %12s\n' "signed+encrypted delivered msg/s" "$rate"
printf '%-38s %12s\n' "p50 / p99 final dot to 250 (ms)" "$(get p50_ms) / $(get p99_ms)"
printf '%-38s %12s\n' "ratio to target" "$(awk -v r="$rate" -v t="$target" 'BEGIN {printf "%.2f", r / t}')"
