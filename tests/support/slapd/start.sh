#!/bin/bash
# Starts a private slapd for tests: start.sh DIR PORT LDIF
# DIR gets slapd.conf (mdb backend, suffix dc=example,dc=test, schemas core/cosine/inetorgperson,
# anonymous read), the database loaded from LDIF with slapadd, and slapd.pid. Listens on
# ldap://127.0.0.1:PORT only, as the current user. Stop with: kill "$(cat DIR/slapd.pid)".
set -euo pipefail
dir=$1 port=$2 ldif=$3
schema=/etc/ldap/schema
modules=/usr/lib/ldap
mkdir -p "$dir/db"
cat >"$dir/slapd.conf" <<CONF
include $schema/core.schema
include $schema/cosine.schema
include $schema/inetorgperson.schema
modulepath $modules
moduleload back_mdb
pidfile $dir/slapd.pid
argsfile $dir/slapd.args
sizelimit 500
database mdb
maxsize 67108864
suffix "dc=example,dc=test"
rootdn "cn=admin,dc=example,dc=test"
directory $dir/db
access to * by * read
CONF
slapadd -q -f "$dir/slapd.conf" -l "$ldif" >"$dir/slapadd.log" 2>&1 || {
  cat "$dir/slapadd.log" >&2
  exit 1
}
slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$port/" -s 0 >"$dir/slapd.log" 2>&1
# slapd forks; wait until it answers
for _ in $(seq 1 100); do
  if ldapsearch -x -H "ldap://127.0.0.1:$port/" -b "" -s base -LLL namingContexts >/dev/null 2>&1; then
    exit 0
  fi
  sleep 0.05
done
echo "slapd did not start on port $port" >&2
cat "$dir/slapd.log" >&2
exit 1
