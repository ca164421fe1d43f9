#!/bin/sh
# scripts/fuzz.sh TARGET SECONDS   run one libFuzzer target for SECONDS, seeded from
#                                  tests/fixtures, tests/fuzz/seeds and the shared corpus; builds
#                                  build/fuzz (clang) first if needed. Targets: cms_decoder,
#                                  pkcs12, mime_parser, smime_inspect, msip_labels, smtp_command,
#                                  smtp_session, config_yaml, http_json, trust_import, crl.
# scripts/fuzz.sh all SECONDS      each target in turn.
# scripts/fuzz.sh build [TARGET..] only configure and build (all targets by default), e.g. under
#                                  buildq; FUZZ_JOBS sets the ninja jobs (default 1).
# scripts/fuzz.sh ci SECONDS       build all, then each target for SECONDS in a fresh corpus (CI).
# Crashes land in build/fuzz/artifacts/TARGET/; copy them to tests/fuzz/regressions/TARGET/ so
# test_smime replays them. The working corpus is kept in build/fuzz/corpus/TARGET/.
set -eu
# ccache across clones (CI builds in a fresh clone): paths relative to the tree, build dir not hashed
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(cd "$(dirname "$0")/.." && pwd)}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: fuzz.sh TARGET|all SECONDS}
seconds=${2:-60}
build=$root/build/fuzz
shared=${SMIMEGW_SHARED_DIR:-$root/../shared}
targets="cms_decoder pkcs12 mime_parser smime_inspect msip_labels smtp_command smtp_session
 config_yaml http_json trust_import crl"

build_targets() {
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMIMEGW_FUZZ=ON -DSMIMEGW_TESTS=OFF >/dev/null
  fi
  list=""
  for t in "$@"; do list="$list fuzz_$t"; done
  # shellcheck disable=SC2086
  if ! nice -n 10 ninja -C "$build" -k 0 -j"${FUZZ_JOBS:-1}" $list >"$build/ninja.log" 2>&1; then
    grep -E "error|FAILED" "$build/ninja.log" | head -40 >&2
    echo "fuzz.sh: build failed (build/fuzz/ninja.log)" >&2
    exit 1
  fi
}

if [ "$target" = build ]; then
  shift
  if [ $# -eq 0 ]; then
    # shellcheck disable=SC2086
    set -- $targets
  fi
  build_targets "$@"
  exit 0
fi
if [ "$target" = ci ]; then
  # CI (scripts/test.sh): every target for SECONDS from the committed seeds and regressions in a
  # fresh corpus; one line "fuzz.sh: ci TARGET ok|FAILED" each; fails when any target failed.
  # shellcheck disable=SC2086
  build_targets $targets
  failed=0
  for t in $targets; do
    tmp=$(mktemp -d /tmp/smimegw-fuzz-ci.XXXXXX)
    if FUZZ_CORPUS=$tmp/corpus FUZZ_ARTIFACTS=$tmp/artifacts "$0" "$t" "$seconds"; then
      echo "fuzz.sh: ci $t ok"
    else
      echo "fuzz.sh: ci $t FAILED"
      # The input itself, so that the CI log alone reproduces it: base64 -d > x; fuzz.sh replays.
      for a in "$tmp"/artifacts/*; do
        [ -f "$a" ] || continue
        echo "fuzz.sh: ci $t input $(basename "$a") ($(wc -c <"$a") bytes, base64):"
        head -c 8192 "$a" | base64 -w 0 | sed 's/^/fuzz.sh: ci-input /'
        echo
      done
      [ -d "$tmp/artifacts" ] && mkdir -p "$build/ci-artifacts/$t" && cp "$tmp"/artifacts/* "$build/ci-artifacts/$t"/ 2>/dev/null
      failed=1
    fi
    rm -rf "$tmp"
  done
  exit $failed
fi
if [ "$target" = all ]; then
  for t in $targets; do "$0" "$t" "$seconds"; done
  exit 0
fi
case " $(echo $targets) " in *" $target "*) ;; *) echo "fuzz.sh: unknown target $target ($targets)" >&2; exit 2;; esac

# FUZZ_BUILD=0: use the binary as it is (e.g. while a build of build/fuzz waits in a queue).
[ "${FUZZ_BUILD:-1}" = 0 ] || build_targets "$target"

seeds=$build/seeds/$target
corpus=${FUZZ_CORPUS:-$build/corpus/$target}
artifacts=${FUZZ_ARTIFACTS:-$build/artifacts/$target}
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
    # issue 9 targets: tests/fuzz/seeds/ (make_seeds.py) plus the shared corpus
    smtp_command|smtp_session) cp "$root"/tests/fuzz/seeds/smtp/* "$seeds"/ ;;
    config_yaml)
      cp "$root"/tests/fuzz/seeds/config_yaml/* "$root"/config/smimegw.yaml "$seeds"/ ;;
    http_json) cp "$root"/tests/fuzz/seeds/http_json/* "$seeds"/ ;;
    trust_import|crl)
      cp "$root"/tests/fuzz/seeds/$target/* "$seeds"/
      ext=crt; [ "$target" = crl ] && ext=crl
      # PKITS: every file of that kind, named after its test directory (names repeat)
      for f in "$shared"/corpus/botan-x509-nist-pkits/*."$ext" \
               "$shared"/corpus/botan-x509-nist-pkits/*/*."$ext"; do
        [ -f "$f" ] && cp "$f" "$seeds/$(basename "$(dirname "$f")")_$(basename "$f")"
      done
      [ "$target" = trust_import ] && cp "$tb"/smime/TestCA.pem "$seeds"/ 2>/dev/null || true ;;
  esac
fi
for d in "$root/tests/fuzz/regressions/$target"; do
  [ -d "$d" ] && cp "$d"/* "$corpus"/ 2>/dev/null || true
done

# malloc_context_size=0: ASan keeps no allocation/free stack per malloc (a fifth of the time of
# allocation-heavy targets such as config_yaml); errors are still caught, and a crash input replayed
# by test_smime (tests/fuzz/regressions) or by hand without this option shows the full stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:malloc_context_size=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzz.sh: $target for ${seconds}s (corpus $corpus)"
# Text inputs need less room than messages and DER files; a smaller -max_len keeps mutations fast.
case $target in
  smtp_command|smtp_session|config_yaml|http_json) max_len=16384 ;;
  msip_labels) max_len=20000 ;;
  trust_import|crl) max_len=65536 ;;
  *) max_len=262144 ;;
esac
log=$(mktemp /tmp/smimegw-fuzz-log.XXXXXX)
"$build/tests/fuzz/fuzz_$target" "$corpus" "$seeds" -max_total_time="$seconds" -max_len=$max_len \
  -rss_limit_mb=4096 -timeout=30 -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 ||
  true
grep -E "^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)" "$log" || true
# the project's frames of the first stack, if any (the failing check or the faulting function)
grep -E "^[[:space:]]+#[0-9]+ .* in (smimegw::|LLVMFuzzerTestOneInput)" "$log" | head -12 || true
ran=$(grep -c '^stat::number_of_executed_units' "$log" || true)
rm -f "$log"
if [ -n "$(ls -A "$artifacts")" ]; then
  echo "fuzz.sh: $target found crashes: $(ls "$artifacts")"
  exit 1
fi
if [ "$ran" = 0 ]; then
  echo "fuzz.sh: $target did not run to its end" >&2
  exit 1
fi
