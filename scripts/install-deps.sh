#!/usr/bin/env bash
# Installs every Debian 12 package smimegw needs to build, test and run. Idempotent: packages that
# are already present are skipped, so a second run costs one dpkg query.
# Usage: scripts/install-deps.sh [--build-only | --runtime-only]
#   (default)       build + test packages (developers, CI)
#   --build-only    what compiling needs (Docker build stage)
#   --runtime-only  the shared libraries the daemon loads (Docker runtime stage)
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libbotan-2-dev botan libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpqxx-dev libspdlog-dev libfmt-dev catch2 libyaml-cpp-dev libgmime-3.0-dev libldap-dev
)
test_pkgs=(
  postgresql-15 postgresql-client-15 slapd ldap-utils swaks libnet-ssleay-perl
  python3 python3-aiosmtpd openssl curl clang-format
  clang libclang-rt-14-dev procps iproute2
  postfix wrk
)
runtime_pkgs=(
  libbotan-2-19 libpqxx-6.4 libspdlog1.10 libfmt9 libyaml-cpp0.7 libgmime-3.0-0 libldap-2.5-0
  libboost-json1.81.0 libboost-url1.81.0 ca-certificates curl
)

case "${1:-}" in
  --runtime-only) wanted=("${runtime_pkgs[@]}") ;;
  --build-only) wanted=("${build_pkgs[@]}") ;;
  "") wanted=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "usage: scripts/install-deps.sh [--build-only | --runtime-only]" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
# Package scripts must not start servers (slapd, postgresql, postfix) on this machine: the tests start
# private instances themselves.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod 755 "$policy"
  created_policy=1
fi
trap '[[ $created_policy == 1 ]] && "${sudo_cmd[@]}" rm -f "$policy"' EXIT
# postfix (smtp-source/smtp-sink and a private relay for tests/bench/relay.sh): no system mailer
# configuration; the bench runs its own instance from a temporary config directory.
echo "postfix postfix/main_mailer_type select No configuration" |
  "${sudo_cmd[@]}" debconf-set-selections
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >/dev/null
