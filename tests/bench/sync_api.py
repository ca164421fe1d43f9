#!/usr/bin/env python3
"""Sync API benchmark over HTTP (issue 8), driven by tests/bench/sync_api.sh.

The world of tests/integration/test_gateway_policy.py (bench_world.py: key vault with the gateway
key, test PKI, alice and bob with PKCS#12 keys, the label catalog), the Release daemon (log level
warn). bob's inbox is filled with MESSAGES messages: 20 plain ~3 KiB multipart messages delivered
by SMTP (alice → bob over :587), cloned in SQL into the mailbox store (INSERT … SELECT into
mailbox_messages, whose trigger keeps the change feed as for a delivery), then PROTECTED messages
labelled Confidential (protection: encrypt) delivered by SMTP, whose mailbox copies are sealed to
the gateway key and bob. Then, through the sync listener: ROUNDS full delta syncs in pages of 100,
and ROUNDS runs of wrk (CONNS keep-alive connections, SECONDS each) GETting the sealed messages,
back to back (saturation) and with a PAUSE_MS think time between a client's requests, all with
one token (admin.rate_limit_per_s: 0, the per-caller limit the sync listener shares, lifted).

Prints key=value lines.
Usage: sync_api.py MESSAGES PROTECTED ROUNDS SECONDS CONNS PAUSE_MS
"""
import http.client
import re
import sys
import time
import unittest

import bench_world
import smtp_load
import sync_client
from gateway import Daemon  # noqa: E402
from mail_env import PASSWORD  # noqa: E402
from test_gateway_policy import CONFIDENTIAL, SECRET, msip  # noqa: E402

messages, protected, rounds, seconds, conns, pause_ms = (int(a) for a in sys.argv[1:7])
BOB = "bob@contoso.test"
TEMPLATES = 20


def plain_message():
    text = "".join(f"Line {l} of a plain bench message, with some words to fill it up.\r\n"
                   for l in range(25))
    return ("From: Alice <alice@contoso.test>\r\nTo: Bob <bob@contoso.test>\r\n"
            "Subject: =?UTF-8?Q?Nachricht_=C3=BCber_alles?=\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
            "--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text +
            "--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>" + text +
            "</p></body></html>\r\n--b2--\r\n")


def protected_message():
    body = (SECRET + " " + "y" * 70 + "\r\n") * 25
    return ("From: alice@contoso.test\r\nTo: bob@contoso.test\r\nSubject: protected bench\r\n"
            f"msip_labels: {msip(CONFIDENTIAL)}\r\n\r\n" + body)


def pct(values, p):
    return smtp_load.percentile(sorted(values), p) * 1000


class Bench(unittest.TestCase):
    def wait_rows(self, w, where, n, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = int(w.env.sql(f"SELECT count(*) FROM mailbox_messages WHERE mailbox = '{BOB}' "
                                f"AND {where}"))
            if got >= n:
                return got
            time.sleep(0.1)
        self.fail(f"only {got} of {n} messages ({where}) stored")

    def runTest(self):
        w = bench_world.world(self, log_level="warn")
        # one token carries the whole load: its per-caller limit (admin.rate_limit_per_s, 20/s by
        # default, shared by the sync listener) is lifted to measure the server itself
        with open(w.env.cfg) as f:
            cfg = f.read()
        with open(w.env.cfg, "w") as f:
            f.write(re.sub(r"(admin:\n  listen: [^\n]*\n)", r"\1  rate_limit_per_s: 0\n", cfg, 1))
        sub = w.env.ports["submission"]
        auth = ("alice@contoso.test", PASSWORD)
        with w.sink, Daemon(w.env.cfg, w.env.ports) as d:
            t0 = time.monotonic()
            smtp_load.run("127.0.0.1", sub, TEMPLATES, 4, auth[0], BOB, plain_message(), auth)
            self.wait_rows(w, "NOT sealed", TEMPLATES)
            clones = messages - protected - TEMPLATES
            w.env.sql(
                "INSERT INTO mailbox_messages (mailbox, queue_id, message_id, size_bytes, body, smime,"
                " label_id, sealed, folder) SELECT t.mailbox, t.queue_id, t.message_id, t.size_bytes,"
                " t.body, t.smime, t.label_id, t.sealed, t.folder FROM generate_series(0, "
                f"{clones - 1}) g JOIN (SELECT *, row_number() OVER (ORDER BY id) - 1 AS k FROM "
                f"mailbox_messages WHERE mailbox = '{BOB}') t ON g % {TEMPLATES} = t.k ORDER BY g")
            fill_s = time.monotonic() - t0
            t1 = time.monotonic()
            accepted, _, _ = smtp_load.run("127.0.0.1", sub, protected, 10, auth[0], BOB,
                                           protected_message(), auth)
            self.assertEqual(accepted, protected)
            self.wait_rows(w, "sealed", protected)
            protected_s = time.monotonic() - t1
            total = int(w.env.sql(f"SELECT count(*) FROM mailbox_messages WHERE mailbox = '{BOB}'"))
            self.assertEqual(total, messages)

            port = w.env.ports["sync"]
            token = sync_client.login(port, BOB, PASSWORD)
            syncs = []
            for _ in range(rounds):
                ids, secs, pages = sync_client.full_delta(port, token, 100)
                self.assertEqual(len(ids), messages)
                self.assertEqual(len(set(ids)), messages)
                syncs.append((secs, pages))
            # the last PROTECTED changes are the sealed copies; each one opens for bob
            sealed_ids = ids[-protected:]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for i in sealed_ids:
                st, m = sync_client.call(conn, "GET", "/v1.0/me/messages/" + i, token=token)
                self.assertEqual(st, 200, m)
                self.assertTrue(m["smime"]["encrypted"], m["smime"])
                self.assertEqual(m["sensitivityLabel"]["id"], CONFIDENTIAL)
                self.assertIn(SECRET, m["body"]["content"])
            conn.close()
            sync_client.wrk_get(port, token, sealed_ids, w.d, 3, conns)  # warm-up
            gets = []
            for _ in range(rounds):
                for pause in (0, pause_ms, -pause_ms):
                    load = bench_world.loadavg()
                    cpu0 = bench_world.cpu_seconds(d.proc.pid)
                    pg0 = bench_world.postgres_cpu_seconds()
                    r = sync_client.wrk_get(port, token, sealed_ids, w.d, seconds, conns, pause)
                    cpu = bench_world.cpu_seconds(d.proc.pid) - cpu0
                    pg = bench_world.postgres_cpu_seconds() - pg0
                    self.assertEqual(r[5], 0, "non-2xx answers")
                    self.assertEqual(r[6], 0, "socket errors")
                    gets.append((pause, load, r, cpu * 1000 / max(r[4], 1),
                                 pg * 1000 / max(r[4], 1)))
        print(f"fill_seconds={fill_s:.1f}")
        print(f"protected_seconds={protected_s:.1f}")
        for n, (secs, pages) in enumerate(syncs, 1):
            print(f"sync{n}=total_ms:{secs * 1000:.0f} pages:{len(pages)} page_p50_ms:"
                  f"{pct(pages, 0.5):.1f} page_p99_ms:{pct(pages, 0.99):.1f} "
                  f"page_max_ms:{max(pages) * 1000:.1f}")
        for n, (pause, load, r, cpu, pg) in enumerate(gets, 1):
            print(f"get{n}=pause_ms:{pause} rps:{r[0]:.0f} p50_ms:{r[1]:.2f} p90_ms:{r[2]:.2f} p99_ms:{r[3]:.2f} "
                  f"requests:{r[4]} daemon_cpu_ms:{cpu:.2f} pg_cpu_ms:{pg:.2f} load:{load.split()[0]}")


if __name__ == "__main__":
    res = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(Bench())
    sys.exit(0 if res.wasSuccessful() else 1)
