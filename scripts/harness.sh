#!/usr/bin/env bash
# The shipped integration harness (docs/harness.md): starts PostgreSQL (or uses the test run's,
# SMIMEGW_TEST_PGHOST), slapd, CRL servers, a relay sink and the daemon; provisions a tenant
# through the admin API; runs the end-to-end scenarios; prints scenario → pass/fail and
# "N passed, N failed". Exit 0 only when every scenario passed.
#
#   scripts/harness.sh [--bin PATH] [--keep] [--only NAME[,NAME...]] [--list]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec /usr/bin/python3 "$here/tests/harness/harness.py" "$@"
