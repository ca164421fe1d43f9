#!/usr/bin/env bash
# Relay benchmark (issue 5): the same smtp-source load through smimegw and through a plain Postfix
# relay, each relaying to its own smtp-sink, in one run on one machine, and the idle-connection
# check. Prints a table.
#
#   tests/bench/relay.sh [MESSAGES] [SESSIONS] [SIZE_BYTES]     (default 5000 20 10240)
#
# smimegw: Release build (build/bench-relay), its own durable PostgreSQL cluster (fsync on, the
# defaults of scripts/run.sh), inbound listener with smtp.inbound.relay_networks = 127.0.0.0/8
# (Postfix's mynetworks), smarthost = smtp-sink, TLS off on both sides, log level info.
# Postfix: a private instance (own config, queue and data directories under the work directory,
# started with `postfix -c DIR start`, stopped at exit), mynetworks = 127.0.0.0/8, relayhost =
# smtp-sink, otherwise Postfix 3.7 defaults. Needs root (Postfix and PostgreSQL drop privileges).
#
# Columns (messages = smtp-source's plus the probe's):
#   delivered msg/s  messages / (first connection until smtp-sink counted the last one)
#   accepted msg/s   messages / smtp-source run time
#   p50/p99 to 250   final "." to 250 on a probe session running next to the load
#   peak mem MiB     smimegw: VmHWM of the daemon (PostgreSQL not included); Postfix: the largest
#                    sum of PSS over its ~100 processes (shared pages split), sampled every 0.5 s
#   lost             messages that got a 250 minus messages the sink received (must be 0)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages=${1:-5000}
sessions=${2:-20}
size=${3:-10240}
idle_count=${IDLE_CONNECTIONS:-1000}
idle_timeout=${IDLE_TIMEOUT_S:-10}
# SMIMEGW_BENCH_BIN: an existing Release binary; otherwise build one in build/bench-relay.
bin=${SMIMEGW_BENCH_BIN:-}
if [[ -z $bin ]]; then
  out="$root/build/bench-relay"
  flock /tmp/smimegw-build.lock "$root/scripts/build.sh" release "$out" smimegw >/dev/null
  bin=$(find "$out" -name smimegw -type f -perm -u+x | head -1)
fi

for tool in smtp-source smtp-sink postfix; do
  command -v $tool >/dev/null || { echo "relay.sh: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
ulimit -n 8192

work=$(mktemp -d /tmp/smimegw-relay-bench.XXXXXX)
chmod 755 "$work"
pids=()
postfix_dir=""
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  [[ -n $postfix_dir ]] && postfix -c "$postfix_dir/etc" stop >/dev/null 2>&1
  (source "$root/scripts/lib/pg.sh" && pg_cluster_stop "$work/pg") >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

sink_count() { # FILE → messages smtp-sink has counted so far
  tr '\r' '\n' <"$1" | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || true
}

wait_sink() { # FILE COUNT TIMEOUT_S → waits until the sink counted COUNT messages
  local deadline=$((SECONDS + $3)) n
  while ((SECONDS < deadline)); do
    n=$(sink_count "$1")
    [[ ${n:-0} -ge $2 ]] && return 0
    sleep 0.05
  done
  return 1
}

start_sink() { # PORT FILE
  smtp-sink -c -u postfix "127.0.0.1:$1" 1024 >"$2" 2>&1 &
  pids+=($!)
  sleep 0.3
}

now() { date +%s.%N; }

# run_load NAME PORT SINKFILE → sets r_delivered r_accepted r_p50 r_p99 r_sent
run_load() {
  local name=$1 port=$2 sinkfile=$3
  local stop="$work/$name.stop"
  rm -f "$stop"
  "$root/tests/bench/relay_probe.py" "$port" "$stop" "$size" "probe@example.net" \
    >"$work/$name.probe" 2>"$work/$name.probe.err" &
  local probe=$!
  local t0 t1 t2
  t0=$(now)
  smtp-source -s "$sessions" -m "$messages" -l "$size" -f bench@client.test \
    -t rcpt@example.net "127.0.0.1:$port" 2>"$work/$name.source.err" ||
    { echo "relay.sh: smtp-source against $name failed:" >&2; cat "$work/$name.source.err" >&2; exit 1; }
  t1=$(now)
  touch "$stop"
  wait "$probe" || { echo "relay.sh: probe against $name saw refusals:" >&2; cat "$work/$name.probe.err" >&2; }
  read -r sent p50 p99 < <(sed -E 's/sent=([0-9]+) p50_ms=([0-9.na]+) p99_ms=([0-9.na]+)/\1 \2 \3/' "$work/$name.probe")
  r_sent=$((messages + sent))
  wait_sink "$sinkfile" "$r_sent" 600 || true
  t2=$(now)
  r_accepted=$(python3 -c "print(f'{$r_sent / ($t1 - $t0):.0f}')")
  r_delivered=$(python3 -c "print(f'{$r_sent / ($t2 - $t0):.0f}')")
  r_p50=$p50
  r_p99=$p99
  r_received=$(sink_count "$sinkfile")
}

# ---------------------------------------------------------------- smimegw
gw=(0 0 - - 0 0) gw_rss=0 gw_queued=0 gw_pending=0 idle_ok=yes idle_out="(skipped)"
if [[ ${RELAY_BENCH_ONLY:-} != postfix ]]; then
(source "$root/scripts/lib/pg.sh" && pg_cluster_start "$work/pg") >/dev/null
gw_sink=$(free_port)
start_sink "$gw_sink" "$work/gw.sink"
read -r inbound submission admin < <(echo "$(free_port) $(free_port) $(free_port)")
cat >"$work/smimegw.yaml" <<EOF
organization: {hostname: mx.bench.test, accepted_domains: [contoso.test]}
database: {url: "host=$work/pg/run user=smimegw dbname=smimegw"}
smtp:
  inbound: {listen: "127.0.0.1:$inbound", relay_networks: [127.0.0.0/8]}
  submission: {listen: "127.0.0.1:$submission"}
  limits: {max_connections: $idle_count, max_connections_per_address: $((idle_count + 100)),
           command_timeout_s: $idle_timeout}
relay: {smarthost: "127.0.0.1:$gw_sink", tls: none}
admin: {listen: "127.0.0.1:$admin"}
sync: {listen: "127.0.0.1:$(free_port)"}
keys: {kek_file: $work/kek.bin}
log: {level: info}
EOF
"$bin" migrate -c "$work/smimegw.yaml" >/dev/null
"$bin" serve -c "$work/smimegw.yaml" >"$work/smimegw.log" 2>&1 &
gw_pid=$!
pids+=($gw_pid)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$admin/healthz" >/dev/null && break
  sleep 0.1
done
run_load smimegw "$inbound" "$work/gw.sink"
gw=("$r_delivered" "$r_accepted" "$r_p50" "$r_p99" "$r_sent" "$r_received")
gw_rss=$(awk '/VmHWM/ {print $2}' "/proc/$gw_pid/status")
gw_queued=$(/usr/lib/postgresql/15/bin/psql -h "$work/pg/run" -U smimegw -d smimegw -tAc \
  "SELECT count(*) FROM queue_messages")
gw_pending=$(/usr/lib/postgresql/15/bin/psql -h "$work/pg/run" -U smimegw -d smimegw -tAc \
  "SELECT count(*) FROM queue_recipients WHERE state <> 'delivered'")

# idle connections against the same daemon (after the load, so the RSS baseline is warm)
idle_out=$("$root/tests/bench/relay_idle.py" "$inbound" "$gw_pid" "$idle_count" "$idle_timeout") &&
  idle_ok=yes || idle_ok=NO
kill "$gw_pid"
wait "$gw_pid" 2>/dev/null || true
fi

# ---------------------------------------------------------------- Postfix
pf_sink=$(free_port)
start_sink "$pf_sink" "$work/pf.sink"
pf_port=$(free_port)
postfix_dir="$work/postfix"
mkdir -p "$postfix_dir/etc" "$postfix_dir/queue" "$postfix_dir/data"
chown postfix: "$postfix_dir/data"
cat >"$postfix_dir/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $postfix_dir/queue
data_directory = $postfix_dir/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = relay.bench.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
relayhost = [127.0.0.1]:$pf_sink
smtpd_relay_restrictions = permit_mynetworks, reject
maillog_file = $postfix_dir/maillog
maillog_file_prefixes = $postfix_dir
EOF
sed -E "s/^smtp +inet .*/127.0.0.1:$pf_port inet n - n - - smtpd/" /etc/postfix/master.cf.proto |
  sed -E 's/^([a-z]+ +(unix|unix-dgram|inet|fifo|pass) +[-n] +[-n] +)y/\1n/' >"$postfix_dir/etc/master.cf"
postfix -c "$postfix_dir/etc" start >/dev/null 2>&1 ||
  { echo "relay.sh: postfix did not start:" >&2; tail "$postfix_dir/maillog" >&2; exit 1; }
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$pf_port") 2>/dev/null && break
  sleep 0.1
done
master_pid=$(head -1 "$postfix_dir/queue/pid/master.pid" | tr -d ' ')
(
  peak=0
  while kill -0 "$master_pid" 2>/dev/null; do
    s=0
    for p in $master_pid $(pgrep -P "$master_pid"); do
      k=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || true)
      s=$((s + ${k:-0}))
    done
    ((s > peak)) && peak=$s && echo "$peak" >"$work/pf.rss"
    sleep 0.5
  done
) &
pids+=($!)
run_load postfix "$pf_port" "$work/pf.sink"
pf=("$r_delivered" "$r_accepted" "$r_p50" "$r_p99" "$r_sent" "$r_received")
pf_rss=$(cat "$work/pf.rss" 2>/dev/null || echo 0)

# ---------------------------------------------------------------- table
lost_gw=$((gw[4] - gw[5]))
lost_pf=$((pf[4] - pf[5]))
ratio=$(python3 -c "print(f'{${gw[0]} / max(1, ${pf[0]}):.2f}')")
printf '\nrelay: %d messages of %d bytes, %d smtp-source sessions (+1 probe), one run, %s\n\n' \
  "$messages" "$size" "$sessions" "$(uname -n), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-8s | %14s | %13s | %15s | %15s | %11s | %4s |\n' \
  "relay" "delivered msg/s" "accepted msg/s" "p50 to 250 (ms)" "p99 to 250 (ms)" "peak mem MiB" "lost"
printf '|%s|\n' "----------|-----------------|----------------|-----------------|-----------------|--------------|------"
printf '| %-8s | %15s | %14s | %15s | %15s | %12s | %4s |\n' smimegw "${gw[0]}" "${gw[1]}" "${gw[2]}" \
  "${gw[3]}" "$((gw_rss / 1024))" "$lost_gw"
printf '| %-8s | %15s | %14s | %15s | %15s | %12s | %4s |\n' postfix "${pf[0]}" "${pf[1]}" "${pf[2]}" \
  "${pf[3]}" "$((pf_rss / 1024))" "$lost_pf"
printf '\nsmimegw / postfix delivered msgs/s: %s (target >= 1.5)\n' "$ratio"
printf 'smimegw queue: %s messages committed, %s recipients not delivered\n' "$gw_queued" "$gw_pending"
printf '\nidle connections (checks passed: %s)\n%s\n' "$idle_ok" "$idle_out"
[[ $lost_gw -eq 0 && $lost_pf -eq 0 && $gw_pending -eq 0 && $idle_ok == yes ]]
