"""Shared helpers of the S/MIME transport benchmarks (outbound.py, inbound.py): the world of
tests/integration/test_gateway_policy.py (key vault, test PKI with RSA-2048 users, alice's and bob's
PKCS#12 imported, carol's certificate in a private slapd, trust.revocation off) made ready for load,
and the CPU time a process used."""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration", "lib"))
sys.path.insert(0, os.path.join(here, "..", "integration"))

import test_gateway_policy as tgp  # noqa: E402


def world(test, log_level="info"):
    """The policy test world; AUTH without TLS on loopback (the load generator is plain TCP)."""
    w = tgp.World(test)
    with open(w.env.cfg) as f:
        cfg = f.read()
    cfg = cfg.replace("level: debug", f"level: {log_level}")
    cfg = cfg.replace("smtp:\n  inbound:", "smtp:\n  allow_auth_without_tls: true\n  inbound:", 1)
    with open(w.env.cfg, "w") as f:
        f.write(cfg)
    return w


def cpu_seconds(pid):
    """User + system CPU seconds of process `pid` (and its reaped children) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(x) for x in fields[11:15]) / ticks


def postgres_cpu_seconds(cluster_dir=None):
    """CPU seconds of the private cluster in `cluster_dir` (default $BENCH_PG_DIR, as set by the
    .sh drivers): its postmaster and every backend it started (exited ones count through the
    postmaster's reaped-children time). 0 when unknown."""
    cluster_dir = cluster_dir or os.environ.get("BENCH_PG_DIR")
    if not cluster_dir:
        return 0.0
    try:
        with open(os.path.join(cluster_dir, "data", "postmaster.pid")) as f:
            master = f.readline().strip()
    except OSError:
        return 0.0
    total = cpu_seconds(master)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = f.read().rsplit(")", 1)[1].split()[1]
            if ppid == master:
                total += cpu_seconds(pid)
        except OSError:
            continue
    return total


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])
