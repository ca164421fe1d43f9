#!/usr/bin/env python3
"""Outbound sign+encrypt benchmark (issue 7), driven by tests/bench/outbound.sh.

Sets up what tests/integration/test_gateway_policy.py does (key vault, test PKI with RSA-2048
users, alice's PKCS#12 imported, carol's certificate in a private slapd, trust.revocation off),
starts the daemon (log level info) relaying to Postfix's smtp-sink, then SESSIONS threads submit
MESSAGES messages of SIZE bytes from alice to carol over :587 (STARTTLS + AUTH) with
`X-Smimegw-Sign: yes` and `X-Smimegw-Encrypt: yes`. Every message is signed (RSA-2048, SHA-256)
and encrypted (RSA-2048 key transport to carol and alice, AES-256-CBC) by the workers.

Prints key=value lines: accepted, seconds_to_delivered, delivered_per_s, p50_ms, p99_ms (final
"." to 250, which includes the policy gate: LDAP lookup (cached), validations (cached)).
"""
import os
import smtplib
import ssl
import subprocess
import sys
import threading
import time
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "integration", "lib"))
sys.path.insert(0, os.path.join(here, "..", "integration"))

from gateway import Daemon  # noqa: E402
import test_gateway_policy as tgp  # noqa: E402
from mail_env import PASSWORD  # noqa: E402

messages, sessions, size = (int(a) for a in sys.argv[1:4])


class Bench(unittest.TestCase):
    def runTest(self):
        w = tgp.World(self)
        with open(w.env.cfg) as f:
            cfg = f.read().replace("level: debug", "level: info")
        with open(w.env.cfg, "w") as f:
            f.write(cfg)
        sink = subprocess.Popen(["smtp-sink", "-c", "-u", "postfix", f"127.0.0.1:{w.sink.port}", "1024"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(sink.kill)
        body = ("x" * 76 + "\r\n") * (size // 78)
        latencies, lock = [], threading.Lock()
        per = messages // sessions

        def client():
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = smtplib.SMTP("127.0.0.1", w.env.ports["submission"], timeout=120)
            s.starttls(context=ctx)
            s.login("alice@contoso.test", PASSWORD)
            mine = []
            for i in range(per):
                msg = (f"From: alice@contoso.test\r\nTo: carol@example.org\r\nSubject: bench {i}\r\n"
                       "X-Smimegw-Sign: yes\r\nX-Smimegw-Encrypt: yes\r\n\r\n" + body)
                t0 = time.monotonic()
                s.sendmail("alice@contoso.test", ["carol@example.org"], msg)
                mine.append(time.monotonic() - t0)
            s.quit()
            with lock:
                latencies.extend(mine)

        with Daemon(w.env.cfg, w.env.ports):
            warm = smtplib.SMTP("127.0.0.1", w.env.ports["submission"], timeout=60)
            warm.quit()
            start = time.monotonic()
            threads = [threading.Thread(target=client) for _ in range(sessions)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            total = per * sessions
            deadline = time.monotonic() + 600
            delivered = 0
            while time.monotonic() < deadline:
                delivered = int(w.env.sql(
                    "SELECT count(*) FROM queue_recipients WHERE state = 'delivered'"))
                if delivered >= total:
                    break
                time.sleep(0.05)
            elapsed = time.monotonic() - start
        latencies.sort()
        print(f"accepted={total}")
        print(f"delivered={delivered}")
        print(f"seconds_to_delivered={elapsed:.2f}")
        print(f"delivered_per_s={delivered / elapsed:.1f}")
        print(f"p50_ms={latencies[len(latencies) // 2] * 1000:.1f}")
        print(f"p99_ms={latencies[int(len(latencies) * 0.99)] * 1000:.1f}")


if __name__ == "__main__":
    r = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(Bench())
    sys.exit(0 if r.wasSuccessful() else 1)
