#!/bin/sh
# tests/bench/crypto.sh [SECONDS_PER_CELL]  prints the table: S/MIME sign/verify/encrypt/decrypt
# msgs/s for 10 KiB and 1 MiB messages with RSA-2048, RSA-3072 and P-256, Botan's raw primitive
# rates from the same run, the sign-vs-raw ratio measured in alternating slices (same load), and
# the 25 MiB sign+encrypt+decrypt+verify run with its peak RSS (separate process, so the peak is
# its own). The binary comes from a Release build (CRYPTO_BENCH_BIN, default
# build/release/tests/bench/crypto_bench), built with
#   buildq scripts/build.sh release build/release crypto_bench
# (g++ 12 -O3 reports spurious -Wrestrict/-Wstringop-* inside libstdc++ for cms/ber.cpp and
# cms/der.cpp: configure that build dir with CXXFLAGS="-Wno-restrict -Wno-free-nonheap-object
# -Wno-stringop-overread -Wno-stringop-overflow -Wno-array-bounds" the first time.)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${CRYPTO_BENCH_BIN:-$root/build/release/tests/bench/crypto_bench}
[ -x "$bin" ] || { echo "crypto.sh: no crypto_bench at $bin (see the header of this script)" >&2; exit 1; }
echo "crypto bench: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" large
"$bin" table "${1:-1.0}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
