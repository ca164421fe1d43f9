#!/bin/sh
# scripts/fuzz.sh TARGET SECONDS   run one libFuzzer target (cms_decoder, pkcs12, mime_parser,
#                                  smime_inspect, msip_labels) for SECONDS, seeded from
#                                  tests/fixtures and the shared corpus; builds build/fuzz (clang)
#                                  first if needed.
# scripts/fuzz.sh all SECONDS      each target in turn.
# Crashes land in build/fuzz/artifacts/TARGET/; copy them to tests/fuzz/regressions/TARGET/ so
# test_smime replays them. The working corpus is kept in build/fuzz/corpus/TARGET/.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh TARGET|all SECONDS}
seconds=${2:-60}
build=$root/build/fuzz
shared=${SMIMEGW_SHARED_DIR:-$root/../shared}
targets="cms_decoder pkcs12 mime_parser smime_inspect msip_labels"

if [ "$target" = all ]; then
  for t in $targets; do "$0" "$t" "$seconds"; done
  exit 0
fi
case " $targets " in *" $target "*) ;; *) echo "fuzz.sh: unknown target $target ($targets)" >&2; exit 2;; esac

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSMIMEGW_FUZZ=ON -DSMIMEGW_TESTS=OFF >/dev/null
fi
nice -n 10 ninja -C "$build" -j"${FUZZ_JOBS:-1}" "fuzz_$target" >/dev/null

seeds=$build/seeds/$target
corpus=$build/corpus/$target
artifacts=$build/artifacts/$target
mkdir -p "$seeds" "$corpus" "$artifacts"
tb=$shared/corpus/thunderbird-comm-central
if [ -z "$(ls -A "$seeds")" ]; then
  case $target in
    pkcs12)
      cp "$root"/tests/fixtures/pkcs12/*.p12 "$seeds"/ 2>/dev/null || true
      find "$tb" -name '*.p12' -exec cp {} "$seeds"/ \; 2>/dev/null || true ;;
    cms_decoder)
      # DER of every pkcs7 body in the corpus (base64 after the header), plus raw .env files.
      for f in "$tb"/smime/*.eml "$tb"/smime-interop/*.env; do
        [ -f "$f" ] || continue
        python3 - "$f" "$seeds/$(basename "$f").der" <<'PY' || true
import base64, re, sys
data = open(sys.argv[1], "rb").read()
parts = re.split(rb"\r?\n\r?\n", data, maxsplit=1)
body = parts[1] if len(parts) > 1 else data
try:
    der = base64.b64decode(re.sub(rb"[^A-Za-z0-9+/=]", b"", body.split(b"\n--")[0]))
except Exception:
    sys.exit(0)
if der[:1] == b"\x30":
    open(sys.argv[2], "wb").write(der)
PY
      done ;;
    msip_labels)
      # the msip_labels header values of the test corpus and of the unit tests' shapes
      grep -rhi '^msip_labels:' "$root"/tests/fixtures "$tb" 2>/dev/null | head -200 |
        sed 's/^[^:]*: *//' | split -l 1 - "$seeds/hdr_" || true
      g=11111111-2222-3333-4444-555555555555
      printf 'MSIP_Label_%s_Enabled=true; MSIP_Label_%s_SetDate=2026-01-02T03:04:05Z; MSIP_Label_%s_Method=Privileged; MSIP_Label_%s_Name=General; MSIP_Label_%s_SiteId=aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa; MSIP_Label_%s_ActionId=%s; MSIP_Label_%s_ContentBits=3; Sensitivity=General' \
        $g $g $g $g $g $g $g $g > "$seeds/one_label" ;;
    mime_parser|smime_inspect)
      cp "$root"/tests/fixtures/mime/*.eml "$seeds"/ 2>/dev/null || true
      find "$tb" -name '*.eml' -size -64k -exec cp {} "$seeds"/ \; 2>/dev/null || true ;;
  esac
fi
for d in "$root/tests/fuzz/regressions/$target"; do
  [ -d "$d" ] && cp "$d"/* "$corpus"/ 2>/dev/null || true
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzz.sh: $target for ${seconds}s (corpus $corpus)"
"$build/tests/fuzz/fuzz_$target" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=262144 \
  -rss_limit_mb=4096 -timeout=30 -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 |
  grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" || true
if [ -n "$(ls -A "$artifacts")" ]; then
  echo "fuzz.sh: $target found crashes: $(ls "$artifacts")"
  exit 1
fi
