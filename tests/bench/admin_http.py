#!/usr/bin/env python3
"""Latency and throughput of the admin listener, measured with wrk against the real daemon.

Usage: SMIMEGW_TEST_PGHOST=/tmp/devpg/run tests/bench/admin_http.py [SMIMEGW_BIN] [SECONDS]
(default binary: build/http-rel/src/app/smimegw or build/http-rel/smimegw, a Release build:
 flock /tmp/smimegw-build.lock scripts/build.sh release build/http-rel smimegw).
Prints one row per (route, transport, connections): requests/s and latency p50/p99 as wrk reports
them. Each GET /admin/v1/queue is a bearer-token check (a database read) plus the queue listing
(another read), both through the database pool; /healthz is the HTTP layer alone."""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration", "lib"))


def default_bin():
    for p in ("build/http-rel/smimegw", "build/http-rel/src/app/smimegw"):
        if os.path.exists(os.path.join(ROOT, p)):
            return os.path.join(ROOT, p)
    return "smimegw"


BIN = sys.argv[1] if len(sys.argv) > 1 else default_bin()
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 10
os.environ["SMIMEGW_BIN"] = BIN
os.environ.setdefault("SMIMEGW_SOURCE_DIR", ROOT)

from gateway import Daemon, make_tls_cert, run, scratch_database, workdir, write_config  # noqa


def to_ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, unit = float(m.group(1)), m.group(2)
    return n / 1000 if unit == "us" else n * 1000 if unit == "s" else n


def wrk(url, token, conns, threads=2):
    threads = min(threads, conns)
    args = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{SECONDS}s", "--latency", url]
    if token:
        args[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(non2xx.group(1)) if non2xx else 0


def main():
    rows = []
    with workdir() as d, scratch_database() as (url, _):
        cert, key = make_tls_cert(d)
        for tls in (False, True):
            cfg, ports = write_config(d, url)
            with open(cfg) as f:
                text = f.read().replace("level: debug", "level: warn")
            listen = f"  listen: \"127.0.0.1:{ports['admin']}\"\n"
            extra = "  rate_limit_per_s: 0\n"
            if tls:
                extra += f"  tls: {{certificate_file: {cert}, key_file: {key}}}\n"
            text = text.replace("admin:\n" + listen, "admin:\n" + listen + extra, 1)
            with open(cfg, "w") as f:
                f.write(text)
            assert run("migrate", "-c", cfg).returncode == 0
            r = run("admin", "token", "create", f"bench{int(tls)}", "-c", cfg)
            assert r.returncode == 0, r.stderr
            token = r.stdout.strip()
            daemon = Daemon(cfg, ports)
            daemon.start(wait_healthy=not tls)
            if tls:
                time.sleep(1.5)
            try:
                scheme = "https" if tls else "http"
                base = f"{scheme}://127.0.0.1:{ports['admin']}"
                for path, tok in (("/healthz", None), ("/admin/v1/queue?top=10", token)):
                    for conns in (1, 10, 50):
                        rps, p50, p99, bad = wrk(base + path, tok, conns)
                        assert bad == 0, f"{bad} non-2xx answers on {path}"
                        rows.append((f"GET {path}", scheme, conns, rps, p50, p99))
            finally:
                daemon.stop()
    print(f"| route | transport | connections | requests/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for route, scheme, conns, rps, p50, p99 in rows:
        print(f"| `{route}` | {scheme} | {conns} | {rps:,.0f} | {p50:.2f} | {p99:.2f} |")


if __name__ == "__main__":
    main()
