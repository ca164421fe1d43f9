"""End to end through the real daemon: SMTP in (swaks), the PostgreSQL queue, delivery to the
local mailbox store or to a real relay sink (aiosmtpd), DSNs, retries, restarts and two instances
on one database."""
import os
import re
import signal
import smtplib
import subprocess
import time
import unittest

from gateway import (Daemon, Sink, private_cluster, psql, run, scratch_database, swaks, wait_for,
                     workdir, write_config)
from mail_env import PASSWORD, Env, gw_log, queue_id_of

class GatewayMailTest(unittest.TestCase):
    def test_inbound_message_lands_in_local_mailbox(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports):
                code, out = swaks(env.ports["inbound"], "--from", "sender@example.org", "--to",
                                  "Alice@Contoso.test", "--header", "Subject: inbound-1")
                self.assertEqual(code, 0, out)
                qid = queue_id_of(out)
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages") == "1", what="local delivery")
                self.assertEqual(env.sql("SELECT mailbox || ' ' || queue_id FROM mailbox_messages"),
                                 f"alice@contoso.test {qid}")
                body = env.sql("SELECT convert_from(body, 'UTF8') FROM mailbox_messages")
                self.assertIn("Subject: inbound-1", body)
                # our S/MIME result on top (an unsigned message: smime=none), then the trace field
                first, second = body.split("\n", 2)[:2]
                self.assertEqual(first, "Authentication-Results: mx.contoso.test; smime=none")
                self.assertTrue(second.startswith("Received: from client.test"), body[:200])
                r = run("queue", "show", qid, "-c", env.cfg)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("delivered  local  <Alice@contoso.test>", r.stdout)

    def test_hostile_mime_headers_are_delivered_and_never_crash_the_daemon(self):
        # Header values a fuzzer found or that sit next to it: a comment, quoted string or RFC 2231
        # parameter cut off by a trailing backslash, in the top-level header and in a part's.
        ctypes = [
            "text/plain; a=(x\\",
            "text/plain; charset=(\\",
            "multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=(b\\",
            "text/plain; name=\"unterminated\\",
            "text/plain; name*0*=utf-8''%E2%82; name*1=(\\",
            "text/plain; ((((((((\\",
        ]
        messages = [f"Subject: hostile {i}\r\nContent-Type: {ct}\r\n\r\nbody {i}\r\n"
                    for i, ct in enumerate(ctypes)]
        messages.append("Subject: hostile part\r\nMIME-Version: 1.0\r\n"
                        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                        "Content-Type: text/plain; a=(c\\\r\n\r\npart\r\n--b--\r\n")
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports) as daemon:
                with smtplib.SMTP("127.0.0.1", env.ports["inbound"], timeout=30) as c:
                    c.ehlo("client.test")
                    for m in messages:
                        refused = c.sendmail("sender@example.org", ["alice@contoso.test"],
                                             ("From: sender@example.org\r\n" + m).encode())
                        self.assertEqual(refused, {})
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages") ==
                         str(len(messages)), what="every hostile message delivered")
                self.assertIsNone(daemon.proc.poll(), daemon.output())
                self.assertEqual(env.sql("SELECT count(*) FROM queue_recipients WHERE state <> "
                                         "'delivered'"), "0")

    def test_inbound_refuses_open_relay_and_unknown_users(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports):
                code, out = swaks(env.ports["inbound"], "--from", "spammer@example.org", "--to",
                                  "victim@example.net")
                self.assertNotEqual(code, 0)
                self.assertIn("554 5.7.1", out)
                code, out = swaks(env.ports["inbound"], "--from", "x@example.org", "--to",
                                  "nobody@contoso.test")
                self.assertNotEqual(code, 0)
                self.assertIn("550 5.1.1", out)
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")

    def test_submission_with_starttls_and_auth_relays_to_smarthost(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            with sink, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "carol@example.org",
                                       "--header", "Subject: outbound-1", "--body", "hello carol\n.leading dot\n")
                self.assertEqual(code, 0, out)
                msgs = wait_for(sink.messages, what="relay delivery")
                self.assertEqual(len(msgs), 1)
                envelope, body = msgs[0]
                self.assertEqual(envelope["mail_from"], "alice@contoso.test")
                self.assertEqual(envelope["rcpt_tos"], ["carol@example.org"])
                self.assertIn(b"Subject: outbound-1", body)
                self.assertIn(b"\r\n.leading dot\r\n", body)  # dot-stuffing undone both ways
                self.assertIn(b"with ESMTPSA", body)  # RFC 3848: TLS + AUTH
                qid = queue_id_of(out)
                wait_for(lambda: "delivered" in run("queue", "show", qid, "-c", env.cfg).stdout)

    def test_submission_requires_tls_before_auth_and_valid_credentials(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports):
                code, out = swaks(env.ports["submission"], "--auth", "PLAIN", "--auth-user",
                                  "alice@contoso.test", "--auth-password", PASSWORD, "--from",
                                  "alice@contoso.test", "--to", "x@example.org")
                self.assertNotEqual(code, 0)
                self.assertNotRegex(out, r"<~ +250-AUTH")
                code, out = swaks(env.ports["submission"], "--tls", "--auth", "PLAIN", "--auth-user",
                                  "alice@contoso.test", "--auth-password", "wrong", "--from",
                                  "alice@contoso.test", "--to", "x@example.org")
                self.assertNotEqual(code, 0)
                self.assertIn("535 5.7.8", out)
                code, out = swaks(env.ports["submission"], "--tls", "--from", "alice@contoso.test",
                                  "--to", "x@example.org")
                self.assertNotEqual(code, 0)
                self.assertIn("530 5.7.0", out)
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")

    def test_submission_refuses_sending_as_someone_else(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "bob@contoso.test", "--to", "x@example.org")
                self.assertNotEqual(code, 0)
                self.assertRegex(out, r"<[-~]\*? +553 5\.7\.1 ")
                code, out = env.submit("--from", "a.smith@contoso.test", "--to", "x@example.org",
                                       "--header", "From: Bob <bob@contoso.test>")
                self.assertNotEqual(code, 0)
                self.assertRegex(out, r"<[-~]\*? +553 5\.7\.1 ")
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")

    def test_deferred_while_smarthost_down_then_delivered_on_retry(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            with Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "dave@example.org")
                self.assertEqual(code, 0, out)
                qid = queue_id_of(out)
                wait_for(lambda: env.sql("SELECT attempts FROM queue_recipients") not in ("", "0"),
                         what="first attempt")
                shown = run("queue", "show", qid, "-c", env.cfg).stdout
                self.assertIn("pending", shown)
                self.assertIn(f"127.0.0.1:{sink.port}", shown)
                with sink:
                    self.assertEqual(run("queue", "retry", qid, "-c", env.cfg).returncode, 0)
                    msgs = wait_for(sink.messages, what="delivery after retry")
                    self.assertEqual(msgs[0][0]["rcpt_tos"], ["dave@example.org"])

    def test_permanent_failure_sends_dsn_to_local_sender(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"), refuse=["nobody@example.org:550"])
            env = Env(d, url, name, sink.port)
            with sink, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "nobody@example.org,erin@example.org",
                                       "--header", "Subject: half-bounced")
                self.assertEqual(code, 0, out)
                try:
                    wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE mailbox='alice@contoso.test'") == "1",
                             what="DSN in alice's mailbox")
                except AssertionError:
                    print(gw_log(d))
                    raise
                dsn = env.sql("SELECT convert_from(body, 'UTF8') FROM mailbox_messages")
                self.assertIn("report-type=delivery-status", dsn)
                self.assertIn("Final-Recipient: rfc822; nobody@example.org", dsn)
                self.assertIn("Status: 5.1.1", dsn)
                self.assertNotIn("Final-Recipient: rfc822; erin@example.org", dsn)
                self.assertIn("Subject: half-bounced", dsn)
                self.assertEqual([m[0]["rcpt_tos"] for m in sink.messages()], [["erin@example.org"]])

    def test_two_instances_on_one_database_deliver_each_message_once(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            second = os.path.join(d, "second")
            os.makedirs(second)
            cfg2, ports2 = write_config(second, url, env.extra)
            with sink, Daemon(env.cfg, env.ports), Daemon(cfg2, ports2):
                sent = []
                for i in range(20):
                    port = env.ports["inbound"] if i % 2 == 0 else ports2["inbound"]
                    code, out = swaks(port, "--from", "s@example.org", "--to", "bob@contoso.test",
                                      "--header", f"Message-Id: <m{i}@two-instances.test>")
                    self.assertEqual(code, 0, out)
                    sent.append(f"<m{i}@two-instances.test>")
                wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE state='delivered'") == "20",
                         what="all delivered")
                got = env.sql("SELECT string_agg(message_id, ' ' ORDER BY message_id) FROM mailbox_messages").split()
                self.assertEqual(sorted(got), sorted(sent))

    def test_database_restart_gives_4xx_then_recovers_without_loss(self):
        with workdir() as d, private_cluster() as pg:
            env = Env(d, pg["conninfo"], "smimegw", 1, pg_host=pg["dir"] + "/run")
            with Daemon(env.cfg, env.ports) as gw:
                code, out = swaks(env.ports["inbound"], "--from", "s@example.org", "--to", "bob@contoso.test",
                                  "--header", "Message-Id: <before@pg-restart.test>")
                self.assertEqual(code, 0, out)
                pg["stop"]()
                code, out = swaks(env.ports["inbound"], "--from", "s@example.org", "--to", "bob@contoso.test",
                                  "--header", "Message-Id: <during@pg-restart.test>")
                self.assertNotEqual(code, 0)
                self.assertRegex(out, r"<\*\* +451 4\.3\.0 ")  # temporary: the client keeps the message
                pg["start"]()
                wait_for(lambda: swaks(env.ports["inbound"], "--from", "s@example.org", "--to", "bob@contoso.test",
                                       "--header", "Message-Id: <after@pg-restart.test>")[0] == 0,
                         timeout=30, interval=0.5, what="accepting again after the restart")
                wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE state = 'delivered'") == "2",
                         what="both messages delivered")
                self.assertEqual(env.sql("SELECT string_agg(message_id, ' ' ORDER BY message_id) FROM mailbox_messages"),
                                 "<after@pg-restart.test> <before@pg-restart.test>")
                self.assertEqual(gw.stop(), 0, gw.output()[-3000:])

    def test_kill_9_and_restart_loses_no_accepted_message(self):
        """Three rounds: messages stream in (local and relay), the daemon is killed with SIGKILL
        once some are committed and others are in flight; after a final restart every message
        that got a 250 is delivered, and no local copy is duplicated."""
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            accepted = []
            with sink:
                for round_ in range(3):
                    gw = Daemon(env.cfg, env.ports).start()
                    before = int(env.sql("SELECT count(*) FROM queue_messages"))
                    procs = []
                    for i in range(12):
                        mid = f"<r{round_}-{i}@kill9.test>"
                        if i % 2:
                            args = ["--port", str(env.ports["inbound"]), "--from", "s@example.org",
                                    "--to", "bob@contoso.test"]
                        else:
                            args = ["--port", str(env.ports["submission"]), "--from", "alice@contoso.test",
                                    "--to", f"ext{i}@example.org", "--tls", "--auth", "PLAIN",
                                    "--auth-user", "alice@contoso.test", "--auth-password", PASSWORD]
                        procs.append((mid, subprocess.Popen(
                            ["swaks", "--server", "127.0.0.1", "--helo", "c.test", "--header",
                             f"Message-Id: {mid}", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
                        time.sleep(0.05)
                    wait_for(lambda: int(env.sql("SELECT count(*) FROM queue_messages")) >= before + 3,
                             timeout=30, interval=0.02, what="some messages committed")
                    gw.proc.send_signal(signal.SIGKILL)
                    gw.proc.wait()
                    for mid, p in procs:
                        out = p.communicate(timeout=60)[0]
                        if p.returncode == 0 and re.search(r"<[-~]  250 .*queued as", out):
                            accepted.append(mid)
                gw = Daemon(env.cfg, env.ports).start()
                try:
                    wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE state <> 'delivered'") == "0",
                             timeout=60, what="queue drained after restarts")
                finally:
                    gw.stop()
            local = env.sql("SELECT coalesce(string_agg(message_id, ' '), '') FROM mailbox_messages").split()
            remote = []
            for _, body in sink.messages():
                m = re.search(rb"Message-Id: (<[^>]+>)", body, re.I)
                remote.append(m.group(1).decode())
            self.assertEqual(len(local), len(set(local)), "a local copy was duplicated")
            delivered = set(local) | set(remote)
            self.assertGreater(len(accepted), 0)
            for mid in accepted:
                self.assertIn(mid, delivered, f"{mid} got a 250 but was never delivered")
            print(f"accepted {len(accepted)} of 36, delivered {len(delivered)}, "
                  f"remote copies {len(remote)} (at-least-once), local {len(local)}")

if __name__ == "__main__":
    unittest.main()
