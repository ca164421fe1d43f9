#!/usr/bin/env bash
# Outbound sign+encrypt benchmark (issue 7): end-to-end signed + encrypted submission (10 KiB,
# RSA-2048, one external recipient found in LDAP) through the Release daemon to smtp-sink, next to
# Botan's raw RSA-2048 signing rate measured in the same run, before and after the load (target:
# delivered/s ≥ 0.6 × sign/s × cores). The load comes from tests/bench/smtp_load.py (asyncio,
# AUTH PLAIN on loopback, pipelining). Private PostgreSQL cluster under build/bench-outbound/pg and a
# private slapd. Prints a table with the load average and the CPU per message of the daemon and of
# PostgreSQL.
#
#   tests/bench/outbound.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]     (default 2000 20 10240)
#   SMIMEGW_BENCH_BIN: the Release binary (default build/release/smimegw, built with
#   `buildq scripts/build.sh release build/release smimegw`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages=${1:-2000}
sessions=${2:-20}
size=${3:-10240}
bin=${SMIMEGW_BENCH_BIN:-$root/build/release/smimegw}
[[ -x $bin ]] || { echo "outbound.sh: no Release binary at $bin (buildq scripts/build.sh release build/release smimegw)" >&2; exit 1; }
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
# shellcheck source=tests/bench/botan_rate.sh
source "$root/tests/bench/botan_rate.sh"
sign1=$(botan_rate sign)
result=$(SMIMEGW_TEST_PGHOST=$PG_SOCKET_DIR SMIMEGW_TEST_PGUSER=smimegw SMIMEGW_BIN=$bin \
  SMIMEGW_SOURCE_DIR=$root BENCH_PG_DIR=$out/pg python3 "$root/tests/bench/outbound.py" \
  "$messages" "$sessions" "$size")
sign2=$(botan_rate sign)
sign=$(( (sign1 + sign2) / 2 ))
get() { sed -n "s/^$1=//p" <<<"$result"; }
rate=$(get delivered_per_s)
target=$(awk -v s="$sign" -v c="$cores" 'BEGIN {printf "%.0f", 0.6 * s * c}')
echo "outbound bench: $cores cores, $(date -u +%FT%TZ), $messages msgs, $sessions sessions, $size bytes"
printf '%-42s %16s\n' "measure" "value"
printf '%-42s %16s\n' "load average before / after" "$(get load_before | cut -d' ' -f1) / $(get load_after | cut -d' ' -f1)"
printf '%-42s %16s\n' "Botan RSA-2048 sign/s (one core) before/after" "$sign1 / $sign2"
printf '%-42s %16s\n' "target 0.6 x sign/s x cores" "$target"
printf '%-42s %16s\n' "messages accepted / delivered" "$(get accepted) / $(get delivered)"
printf '%-42s %16s\n' "signed+encrypted delivered msg/s" "$rate"
printf '%-42s %16s\n' "p50 / p99 final dot to 250 (ms)" "$(get p50_ms) / $(get p99_ms)"
printf '%-42s %16s\n' "daemon CPU ms per message" "$(get daemon_cpu_ms_per_msg)"
printf '%-42s %16s\n' "PostgreSQL CPU ms per message" "$(get postgres_cpu_ms_per_msg)"
printf '%-42s %16s\n' "ratio to target" "$(awk -v r="$rate" -v t="$target" 'BEGIN {printf "%.2f", r / t}')"
