#!/usr/bin/env python3
"""Inbound decrypt+verify benchmark (issue 7), driven by tests/bench/inbound.sh.

The world of tests/integration/test_gateway_policy.py (bench_world.py): bob@contoso.test has his
RSA-2048 key in the vault; carol@example.org (external, certificate from the trusted test root,
trust.revocation off) sends him a message that `openssl cms` clear-signed with carol's key and then
encrypted to bob (AES-256-CBC, RSA key transport). Postfix's smtp-source sends MESSAGES copies of
it in SESSIONS sessions to the inbound listener (:25, no AUTH). Each copy is decrypted with bob's
key, its signature and chain verified, Authentication-Results stamped, the plaintext sealed
(AES-256-GCM to the gateway key and bob) and committed to bob's mailbox: the clock stops when the
last copy is in mailbox_messages.

Prints key=value lines like outbound.py, plus the S/MIME status the gateway stored for one copy.
"""
import os
import subprocess
import sys
import time
import unittest

import bench_world
from gateway import Daemon  # noqa: E402

messages, sessions, size = (int(a) for a in sys.argv[1:4])


def openssl(*args):
    r = subprocess.run(["openssl", *args], capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"openssl {args}: {r.stderr.decode()}")


class Bench(unittest.TestCase):
    def runTest(self):
        w = bench_world.world(self)
        carol, bob = w.people["carol"], w.people["bob"]
        content = os.path.join(w.d, "content.txt")
        with open(content, "w") as f:
            f.write("Content-Type: text/plain; charset=us-ascii\n\n")
            f.write(("y" * 76 + "\n") * (size // 77))
        signed, enc = os.path.join(w.d, "signed.eml"), os.path.join(w.d, "enc.eml")
        openssl("cms", "-sign", "-in", content, "-signer", carol["cert"], "-inkey", carol["key"],
                "-out", signed)
        openssl("cms", "-encrypt", "-aes256", "-in", signed, "-out", enc, "-from",
                "carol@example.org", "-to", "bob@contoso.test", "-subject", "inbound bench",
                bob["cert"])
        with open(enc, "rb") as f:
            raw = f.read().replace(b"\r\n", b"\n")
        with open(enc, "wb") as f:  # smtp-source appends CRLF to every line itself
            f.write(raw)
        port = w.env.ports["inbound"]
        source = ["smtp-source", "-F", enc, "-f", "carol@example.org", "-t", "bob@contoso.test",
                  f"127.0.0.1:{port}"]
        stored = lambda: int(w.env.sql(  # noqa: E731
            "SELECT count(*) FROM mailbox_messages WHERE mailbox = 'bob@contoso.test'"))
        with Daemon(w.env.cfg, w.env.ports) as d:
            subprocess.run(source[:1] + ["-m", "4", "-s", "1"] + source[1:], check=True)  # warm-up
            while stored() < 4:
                time.sleep(0.05)
            load_before = bench_world.loadavg()
            cpu0, pg0 = bench_world.cpu_seconds(d.proc.pid), bench_world.postgres_cpu_seconds()
            start = time.monotonic()
            subprocess.run(source[:1] + ["-m", str(messages), "-s", str(sessions)] + source[1:],
                           check=True)
            accepted_s = time.monotonic() - start
            deadline = time.monotonic() + 600
            done = 0
            while time.monotonic() < deadline:
                done = stored() - 4
                if done >= messages:
                    break
                time.sleep(0.02)
            elapsed = time.monotonic() - start
            cpu = bench_world.cpu_seconds(d.proc.pid) - cpu0
            pg = bench_world.postgres_cpu_seconds() - pg0
        status = w.env.sql("SELECT smime::text FROM mailbox_messages ORDER BY id DESC LIMIT 1")
        sealed = w.env.sql("SELECT count(*) FROM mailbox_messages WHERE sealed")
        print(f"accepted={messages}")
        print(f"stored={done}")
        print(f"sealed={sealed}")
        print(f"seconds_to_accepted={accepted_s:.2f}")
        print(f"seconds_to_stored={elapsed:.2f}")
        print(f"stored_per_s={done / elapsed:.1f}")
        print(f"daemon_cpu_ms_per_msg={cpu * 1000 / max(done, 1):.2f}")
        print(f"postgres_cpu_ms_per_msg={pg * 1000 / max(done, 1):.2f}")
        print(f"load_before={load_before}")
        print(f"load_after={bench_world.loadavg()}")
        print(f"smime_status={status}")


if __name__ == "__main__":
    r = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(Bench())
    sys.exit(0 if r.wasSuccessful() else 1)
