#!/usr/bin/env bash
# Inbound decrypt+verify benchmark (issue 7): signed+encrypted messages made by `openssl cms`
# (10 KiB, RSA-2048, sign-then-encrypt) from an external sender to an internal user, sent by
# Postfix's smtp-source to the inbound listener of the Release daemon and measured to the mailbox
# commit (decrypt with the user's vault key, verify signature + chain, Authentication-Results,
# seal). Next to Botan's raw RSA-2048 decryption rate (crypto_bench raw) measured before and after
# in the same run (reference: stored/s vs 0.6 × decrypt/s × cores, the outbound target's shape).
#
#   tests/bench/inbound.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]     (default 2000 20 10240)
#   SMIMEGW_BENCH_BIN / CRYPTO_BENCH_BIN: the Release binaries (default build/release/...).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages=${1:-2000}
sessions=${2:-20}
size=${3:-10240}
bin=${SMIMEGW_BENCH_BIN:-$root/build/release/smimegw}
cbench=${CRYPTO_BENCH_BIN:-$root/build/release/tests/bench/crypto_bench}
for b in "$bin" "$cbench"; do
  [[ -x $b ]] || { echo "inbound.sh: no Release binary at $b (buildq scripts/build.sh release build/release smimegw crypto_bench)" >&2; exit 1; }
done
for tool in smtp-source slapd openssl; do
  command -v $tool >/dev/null || [[ -x /usr/sbin/$tool ]] ||
    { echo "inbound.sh: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
out="$root/build/bench-inbound"
mkdir -p "$out"
# shellcheck source=scripts/lib/pg.sh
source "$root/scripts/lib/pg.sh"
pg_cluster_start "$out/pg"
trap 'pg_cluster_stop "$out/pg"' EXIT

cores=$(nproc)
raw() { "$cbench" raw 2 | sed -n "s/^rsa2048_$1=//p" | cut -d. -f1; }
dec1=$(raw decrypt)
result=$(SMIMEGW_TEST_PGHOST=$PG_SOCKET_DIR SMIMEGW_TEST_PGUSER=smimegw SMIMEGW_BIN=$bin \
  SMIMEGW_SOURCE_DIR=$root BENCH_PG_DIR=$out/pg python3 "$root/tests/bench/inbound.py" \
  "$messages" "$sessions" "$size")
dec2=$(raw decrypt)
dec=$(( (dec1 + dec2) / 2 ))
get() { sed -n "s/^$1=//p" <<<"$result"; }
rate=$(get stored_per_s)
target=$(awk -v s="$dec" -v c="$cores" 'BEGIN {printf "%.0f", 0.6 * s * c}')
echo "inbound bench: $cores cores, $(date -u +%FT%TZ), $messages msgs, $sessions sessions, $size bytes"
printf '%-44s %16s\n' "measure" "value"
printf '%-44s %16s\n' "load average before / after" "$(get load_before | cut -d' ' -f1) / $(get load_after | cut -d' ' -f1)"
printf '%-44s %16s\n' "Botan RSA-2048 decrypt/s (one core) bef/aft" "$dec1 / $dec2"
printf '%-44s %16s\n' "reference 0.6 x decrypt/s x cores" "$target"
printf '%-44s %16s\n' "messages sent / stored (sealed)" "$(get accepted) / $(get stored) ($(get sealed))"
printf '%-44s %16s\n' "seconds to last 250 / to last commit" "$(get seconds_to_accepted) / $(get seconds_to_stored)"
printf '%-44s %16s\n' "decrypted+verified stored msg/s" "$rate"
printf '%-44s %16s\n' "daemon CPU ms per message" "$(get daemon_cpu_ms_per_msg)"
printf '%-44s %16s\n' "PostgreSQL CPU ms per message" "$(get postgres_cpu_ms_per_msg)"
printf '%-44s %16s\n' "ratio to reference" "$(awk -v r="$rate" -v t="$target" 'BEGIN {printf "%.2f", r / t}')"
echo "S/MIME status of the last copy: $(get smime_status)"
