#!/usr/bin/python3
"""Soak and crash test (issue 9 item 3): SMTP load through the real daemon while it is killed with
SIGKILL at random moments and its PostgreSQL is restarted; afterwards every message that got a 250
must have been delivered — a local recipient exactly once (one mailbox row), a remote recipient at
least once (the relay sink) — and the counts are printed.

    tests/soak/soak.py [--short] [--duration S] [--kills N] [--pg-restarts N] [--sessions N]
                       [--seed X] [--keep]

Load: tests/soak/load_client.py (asyncio sessions on the inbound listener that record every 250'd
Message-ID with its queue id; local, remote and mixed local+remote messages; the client runs from
127.0.0.0/8, listed in smtp.inbound.relay_networks, so remote recipients are relayed to the sink)
plus smtp-source to a local user (tests/soak/source_load.py; its 250s are read from -v). The test
owns a private PostgreSQL cluster (scripts/lib/pg.sh) so it can restart it. Default: 180 s of load,
10 kills, 1 PostgreSQL restart. --short (the ctest `soak.short`, < 2 min): 40 s of load, the same
10 kills and 1 restart at a lower rate. Exit 0 when nothing was lost or duplicated."""
import argparse
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration", "lib"))
sys.path.insert(0, HERE)

from gateway import Daemon, Sink, private_cluster, wait_for  # noqa: E402
from load_client import LoadClient  # noqa: E402
from mail_env import Env  # noqa: E402
from source_load import SourceLoad  # noqa: E402
from soak_verify import verify  # noqa: E402

LOCAL = ["alice@contoso.test", "bob@contoso.test", "a.smith@contoso.test"]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--short", action="store_true", help="the CI variant (< 2 min)")
    p.add_argument("--duration", type=float, help="seconds of load (default 180, short 40)")
    p.add_argument("--kills", type=int, default=10)
    p.add_argument("--pg-restarts", type=int, default=1)
    p.add_argument("--sessions", type=int, help="load client sessions (default 8, short 4)")
    p.add_argument("--source-sessions", type=int, default=2, help="smtp-source sessions (0: none)")
    p.add_argument("--drain-timeout", type=float, default=90)
    p.add_argument("--seed", default=None)
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    a = p.parse_args(argv)
    a.duration = a.duration or (40 if a.short else 180)
    a.sessions = a.sessions or (4 if a.short else 8)
    a.seed = a.seed or str(random.randrange(1 << 30))
    return a


class Chaos:
    """Kills and database restarts at random moments of the load window, one after the other."""

    def __init__(self, args, env, pg, rng, log):
        self.args, self.env, self.pg, self.rng, self.log = args, env, pg, rng, log
        self.gw = None
        self.starts = 0
        self.kills = 0
        self.pg_restarts = 0

    def start_daemon(self):
        self.gw = Daemon(self.env.cfg, self.env.ports).start(timeout=60)
        self.starts += 1

    def kill(self):
        self.gw.proc.send_signal(signal.SIGKILL)
        self.gw.proc.wait()
        assert self.gw.proc.returncode == -signal.SIGKILL, self.gw.proc.returncode
        self.kills += 1
        time.sleep(self.rng.random() * 0.5)
        self.start_daemon()

    def restart_pg(self):
        self.pg["stop"]()
        time.sleep(0.5 + self.rng.random() * 1.5)
        self.pg["start"]()
        self.pg_restarts += 1

    def run(self, t0):
        events = ["kill"] * self.args.kills + ["pg"] * self.args.pg_restarts
        self.rng.shuffle(events)
        d = self.args.duration
        times = sorted(self.rng.uniform(0.05 * d, 0.9 * d) for _ in events)
        for at, event in zip(times, events):
            delay = t0 + at - time.time()
            if delay > 0:
                time.sleep(delay)
            self.log(f"t={time.time() - t0:6.1f}s {event}")
            self.kill() if event == "kill" else self.restart_pg()
        delay = t0 + d - time.time()
        if delay > 0:
            time.sleep(delay)


def main(argv):
    args = parse_args(argv)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="smimegw-soak-")
    log = lambda s: print("soak: " + s, flush=True)  # noqa: E731
    log(f"seed={args.seed} duration={args.duration}s kills={args.kills} "
        f"pg_restarts={args.pg_restarts} sessions={args.sessions}+{args.source_sessions} work={work}")
    ok = False
    try:
        with private_cluster() as pg:
            sink = Sink(os.path.join(work, "sink"))
            env = Env(work, pg["conninfo"], "smimegw", sink.port, pg_host=pg["dir"] + "/run",
                      smtp_extra="  inbound: {relay_networks: [127.0.0.0/8]}\n"
                                 "  limits: {max_connections_per_address: 200}\n")
            with sink:
                chaos = Chaos(args, env, pg, rng, log)
                chaos.start_daemon()
                client = LoadClient(env.ports["inbound"], args.sessions, LOCAL, "example.org",
                                    args.seed, tag=f"s{args.seed}").start()
                srcdir = os.path.join(work, "source")
                os.makedirs(srcdir)
                source = SourceLoad(env.ports["inbound"], "bob@contoso.test", srcdir,
                                    sessions=args.source_sessions)
                if args.source_sessions:
                    source.start()
                t0 = time.time()
                try:
                    chaos.run(t0)
                finally:
                    client.stop()
                    if args.source_sessions:
                        source.stop()
                load_s = time.time() - t0
                log(f"load stopped after {load_s:.1f}s; draining the queue")
                t1 = time.time()
                wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients "
                                         "WHERE state = 'pending'") == "0",
                         timeout=args.drain_timeout, interval=0.5, what="queue drained")
                drain_s = time.time() - t1
                rc = chaos.gw.stop(timeout=30)
                assert rc == 0, f"final SIGTERM: exit {rc}\n" + chaos.gw.output()[-3000:]
                qids = source.accepted_queue_ids() if args.source_sessions else []
                report = verify(env, sink, client.out, qids, work)
            log(f"daemon starts {chaos.starts}, SIGKILLs {chaos.kills}, PostgreSQL restarts "
                f"{chaos.pg_restarts}, load {load_s:.1f}s, drain {drain_s:.1f}s, "
                f"smtp-source runs {source.runs}")
            for line in report.lines:
                log(line)
            ok = not report.problems and chaos.kills == args.kills
            for p in report.problems[:50]:
                log("PROBLEM: " + p)
    finally:
        if args.keep or not ok:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    log("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
