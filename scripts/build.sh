#!/usr/bin/env bash
# Configures and builds smimegw with CMake + Ninja (+ ccache).
# Usage: scripts/build.sh release|debug|asan [BUILD_DIR] [TARGET...]
#   release  optimised daemon only (scripts/run.sh, Docker)        default dir build/release
#   debug    debug build with tests                                default dir build/debug
#   asan     debug + AddressSanitizer/UBSan with tests (test.sh)   default dir build/test
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
case $kind in
  release) dir=${2:-$here/build/release}; flags=(-DCMAKE_BUILD_TYPE=Release -DSMIMEGW_TESTS=OFF) ;;
  debug)   dir=${2:-$here/build/debug};   flags=(-DCMAKE_BUILD_TYPE=Debug) ;;
  asan)    dir=${2:-$here/build/test};    flags=(-DCMAKE_BUILD_TYPE=Debug -DSMIMEGW_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh release|debug|asan [BUILD_DIR] [TARGET...]" >&2; exit 2 ;;
esac
shift $(( $# >= 2 ? 2 : $# ))
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$here}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
# Debug builds (-g) would otherwise hash the build directory, so a fresh clone elsewhere (CI)
# missed every cached object; CCACHE_BASEDIR already makes the paths inside the tree relative.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
jobs=${SMIMEGW_BUILD_JOBS:-$(nproc)}
cmake -S "$here" -B "$dir" -G Ninja "${flags[@]}" >/dev/null
if (($# > 0)); then
  cmake --build "$dir" -j "$jobs" --target "$@"
else
  cmake --build "$dir" -j "$jobs"
fi
