# Private PostgreSQL 15 cluster helpers, sourced by scripts/run.sh, scripts/test.sh and the
# integration tests. The cluster listens on a unix socket only (listen_addresses=''), its superuser
# is "smimegw" with trust authentication on that socket. initdb and postgres refuse to run as root,
# so as root the cluster belongs to the "postgres" account that Debian's package creates.
#
#   pg_cluster_start DIR [fast]   create (first time) and start; sets PG_CONNINFO
#   pg_cluster_stop DIR           stop (fast shutdown)

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

_pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_cluster_start() {
  local dir=$1 mode=${2:-durable}
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local data=$dir/data sock=$dir/run
  if [[ $(id -u) -eq 0 ]]; then
    # the postgres account must be able to reach the directory
    local p=$dir
    while [[ $p != / ]]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
    chown postgres: "$dir"
  fi
  if [[ ! -s $data/PG_VERSION ]]; then
    _pg_as_owner "$PG_BIN/initdb" -D "$data" -U smimegw --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
    {
      echo "listen_addresses = ''"
      echo "unix_socket_directories = '$sock'"
      echo "max_connections = 200"
      echo "shared_buffers = 128MB"
      if [[ $mode == fast ]]; then
        # throwaway test clusters only: durability is not what they test
        echo "fsync = off"
        echo "synchronous_commit = off"
        echo "full_page_writes = off"
      fi
    } >>"$data/postgresql.conf"
  fi
  _pg_as_owner mkdir -p "$sock"
  if ! _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 30 start >/dev/null ||
      { tail -20 "$dir/postgres.log" >&2; return 1; }
  fi
  PG_SOCKET_DIR=$sock
  PG_CONNINFO="host=$sock user=smimegw dbname=smimegw"
  if ! "$PG_BIN/psql" -h "$sock" -U smimegw -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='smimegw'" | grep -q 1; then
    "$PG_BIN/createdb" -h "$sock" -U smimegw smimegw
  fi
  export PG_SOCKET_DIR PG_CONNINFO
}

pg_cluster_stop() {
  local dir=$1
  [[ -s $dir/data/PG_VERSION ]] || return 0
  _pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
}
