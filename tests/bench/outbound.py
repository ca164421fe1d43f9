#!/usr/bin/env python3
"""Outbound sign+encrypt benchmark (issue 7), driven by tests/bench/outbound.sh.

Sets up the world of tests/integration/test_gateway_policy.py (bench_world.py), starts the daemon
(log level info) relaying to Postfix's smtp-sink, then SESSIONS sessions of the asyncio load
generator (smtp_load.py: AUTH PLAIN on loopback, pipelined MAIL/RCPT/DATA) submit MESSAGES
messages of SIZE bytes from alice to carol over :587 with `X-Smimegw-Sign: yes` and
`X-Smimegw-Encrypt: yes`. Every message is signed (RSA-2048, SHA-256) and encrypted (RSA-2048 key
transport to carol and alice, AES-256-CBC) by the workers.

Prints key=value lines: accepted, delivered, seconds_to_delivered, delivered_per_s, p50_ms, p99_ms
(final "." to 250, which includes the policy gate), the CPU seconds per message of the daemon and
of PostgreSQL, and the load average before and after.
"""
import os
import subprocess
import sys
import time
import unittest

import bench_world
import smtp_load
from gateway import Daemon  # noqa: E402
from mail_env import PASSWORD  # noqa: E402

messages, sessions, size = (int(a) for a in sys.argv[1:4])


class Bench(unittest.TestCase):
    def runTest(self):
        w = bench_world.world(self)
        sink = subprocess.Popen(["smtp-sink", "-c", "-u", "postfix", f"127.0.0.1:{w.sink.port}", "1024"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(sink.kill)
        body = ("x" * 76 + "\r\n") * (size // 78)
        msg = ("From: alice@contoso.test\r\nTo: carol@example.org\r\nSubject: bench\r\n"
               "X-Smimegw-Sign: yes\r\nX-Smimegw-Encrypt: yes\r\n\r\n" + body)
        port = w.env.ports["submission"]
        with Daemon(w.env.cfg, w.env.ports) as d:
            # warm-up: caches (LDAP, validation, signing context) filled before the clock starts
            smtp_load.run("127.0.0.1", port, 4, 1, "alice@contoso.test", "carol@example.org", msg,
                          ("alice@contoso.test", PASSWORD))
            done = lambda: int(w.env.sql(  # noqa: E731
                "SELECT count(*) FROM queue_recipients WHERE state = 'delivered'"))
            while done() < 4:
                time.sleep(0.05)
            load_before = bench_world.loadavg()
            cpu0, pg0 = bench_world.cpu_seconds(d.proc.pid), bench_world.postgres_cpu_seconds()
            start = time.monotonic()
            accepted, _, latencies = smtp_load.run(
                "127.0.0.1", port, messages, sessions, "alice@contoso.test", "carol@example.org",
                msg, ("alice@contoso.test", PASSWORD))
            deadline = time.monotonic() + 600
            delivered = 0
            while time.monotonic() < deadline:
                delivered = done() - 4
                if delivered >= accepted:
                    break
                time.sleep(0.02)
            elapsed = time.monotonic() - start
            cpu = bench_world.cpu_seconds(d.proc.pid) - cpu0
            pg = bench_world.postgres_cpu_seconds() - pg0
        latencies.sort()
        print(f"accepted={accepted}")
        print(f"delivered={delivered}")
        print(f"seconds_to_delivered={elapsed:.2f}")
        print(f"delivered_per_s={delivered / elapsed:.1f}")
        print(f"p50_ms={smtp_load.percentile(latencies, 0.5) * 1000:.1f}")
        print(f"p99_ms={smtp_load.percentile(latencies, 0.99) * 1000:.1f}")
        print(f"daemon_cpu_ms_per_msg={cpu * 1000 / max(delivered, 1):.2f}")
        print(f"postgres_cpu_ms_per_msg={pg * 1000 / max(delivered, 1):.2f}")
        print(f"load_before={load_before}")
        print(f"load_after={bench_world.loadavg()}")


if __name__ == "__main__":
    r = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(Bench())
    sys.exit(0 if r.wasSuccessful() else 1)
