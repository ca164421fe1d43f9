"""Security sweep (issue 9 item 4), listeners: the admin listener defaults to loopback (settings
table, shipped config, Docker publishing); AUTH is never offered or accepted before STARTTLS on
submission and never on inbound; the inbound listener (port 25's role) relays to no external
domain whatever the address tricks (percent hack, source routes, quoted local parts, bang paths,
IP literals, look-alike domains), with or without TLS, and accepts no XCLIENT/XFORWARD."""
import base64
import os
import re
import socket
import ssl
import unittest

from gateway import SOURCE_DIR, Daemon, Sink, run, scratch_database, wait_for, workdir
from mail_env import PASSWORD, Env

RELAY_TRICKS = [
    "victim@example.net", "Victim@EXAMPLE.NET", "victim%example.net@contoso.test",
    "@contoso.test:victim@example.net", "@contoso.test,@mx.contoso.test:victim@example.net",
    "\"victim@example.net\"@contoso.test", "example.net!victim@contoso.test",
    "victim@example.net.", "victim@[127.0.0.1]", "victim@[IPv6:::1]",
    "victim@contoso.test.example.net", "victim@sub.contoso.test", "victim@contoso.test.",
    "victim@example.net@contoso.test", "bob@contoso.test@example.net", "victim@contoso.test\\@example.net",
    "victim@xn--contoso-test.example.net", "victim@contoso\u00b7test",
]


class Smtp:
    """A raw SMTP client on a socket, optionally upgraded with STARTTLS."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.f = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self):
        lines = []
        while True:
            line = self.f.readline().decode("utf-8", "replace").rstrip("\r\n")
            if not line:
                raise ConnectionError("closed after " + repr(lines))
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return line[:3], lines

    def cmd(self, line):
        self.sock.sendall(line.encode("utf-8") + b"\r\n")
        return self.reply()

    def ehlo_keywords(self):
        code, lines = self.cmd("EHLO sweep.test")
        assert code == "250", lines
        return {l[4:].split(" ")[0].upper() for l in lines[1:]}

    def starttls(self):
        code, lines = self.cmd("STARTTLS")
        assert code == "220", lines
        ctx = ssl.create_default_context()
        ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
        self.sock = ctx.wrap_socket(self.sock, server_hostname="mx.contoso.test")
        self.f = self.sock.makefile("rb")

    def close(self):
        try:
            self.cmd("QUIT")
        except OSError:
            pass
        self.sock.close()


class SecurityListenersTest(unittest.TestCase):
    def test_admin_listener_defaults_to_loopback(self):
        with workdir() as d:
            cfg = os.path.join(d, "min.yaml")
            with open(cfg, "w") as f:
                f.write("database:\n  url: \"host=/nonexistent dbname=x\"\n")
            r = run("check-config", "-c", cfg)
            self.assertEqual(r.returncode, 0, r.stderr)
            line = [l for l in r.stdout.splitlines() if l.startswith("admin.listen:")]
            self.assertEqual(len(line), 1, r.stdout)
            self.assertRegex(line[0], r'^admin\.listen: "?127\.0\.0\.1:8443"?  # default$')
        r = run("check-config", "-c", os.path.join(SOURCE_DIR, "config", "smimegw.yaml"))
        line = [l for l in r.stdout.splitlines() if l.startswith("admin.listen:")]
        self.assertEqual(len(line), 1, r.stdout + r.stderr)
        self.assertRegex(line[0], r'^admin\.listen: "?127\.0\.0\.1:\d+"?  # file$')
        with open(os.path.join(SOURCE_DIR, "docker", "compose.yaml")) as f:
            compose = f.read()
        published = re.findall(r"-\s*\"?([0-9.]*:?\d+:8443)\"?", compose)
        self.assertTrue(published, compose)
        for p in published:
            self.assertTrue(p.startswith("127.0.0.1:"), p)

    def test_auth_only_after_starttls_on_submission_and_never_on_inbound(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1)
            with Daemon(env.cfg, env.ports):
                blob = base64.b64encode(f"\0alice@contoso.test\0{PASSWORD}".encode()).decode()
                s = Smtp(env.ports["submission"])
                keywords = s.ehlo_keywords()
                self.assertIn("STARTTLS", keywords)
                self.assertNotIn("AUTH", keywords)
                self.assertEqual(s.cmd("AUTH PLAIN " + blob)[0], "538")
                self.assertEqual(s.cmd("AUTH LOGIN")[0], "538")
                self.assertEqual(s.cmd("MAIL FROM:<alice@contoso.test>")[0], "530")
                s.starttls()
                keywords = s.ehlo_keywords()
                self.assertIn("AUTH", keywords)
                self.assertNotIn("STARTTLS", keywords)
                self.assertEqual(s.cmd("AUTH PLAIN " + blob)[0], "235")
                s.close()
                for tls in (False, True):
                    s = Smtp(env.ports["inbound"])
                    if tls:
                        s.ehlo_keywords()
                        s.starttls()
                    self.assertNotIn("AUTH", s.ehlo_keywords())
                    code, lines = s.cmd("AUTH PLAIN " + blob)
                    self.assertEqual(code, "502", lines)
                    s.close()
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")

    def test_inbound_never_relays_to_external_domains(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            with sink, Daemon(env.cfg, env.ports):
                accepted = []
                for tls in (False, True):
                    s = Smtp(env.ports["inbound"])
                    s.ehlo_keywords()
                    if tls:
                        s.starttls()
                        s.ehlo_keywords()
                    for cmd in ("XCLIENT ADDR=10.0.0.1 NAME=trusted.contoso.test",
                                "XFORWARD ADDR=10.0.0.1"):
                        self.assertTrue(s.cmd(cmd)[0].startswith("5"), cmd)
                    for rcpt in RELAY_TRICKS:
                        code, lines = s.cmd("MAIL FROM:<bob@contoso.test>")
                        self.assertEqual(code, "250", lines)
                        code, lines = s.cmd(f"RCPT TO:<{rcpt}>")
                        if code.startswith("2"):
                            accepted.append((rcpt, lines))
                        else:
                            self.assertTrue(code.startswith("5"), (rcpt, lines))
                        s.cmd("RSET")
                    # one whole message to a relay trick and a real user: only bob's copy
                    s.cmd("MAIL FROM:<x@example.org>")
                    s.cmd("RCPT TO:<victim%example.net@contoso.test>")
                    self.assertEqual(s.cmd("RCPT TO:<bob@contoso.test>")[0], "250")
                    self.assertEqual(s.cmd("DATA")[0], "354")
                    code, lines = s.cmd("Subject: relay probe\r\n\r\nprobe\r\n.")
                    self.assertEqual(code, "250", lines)
                    s.close()
                self.assertEqual(accepted, [])
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages") == "2",
                         what="bob's copies")
                self.assertEqual(env.sql("SELECT string_agg(DISTINCT route || ' ' || address, ',') "
                                         "FROM queue_recipients"), "local bob@contoso.test")
                self.assertEqual(sink.messages(), [])
            print(f"{len(RELAY_TRICKS)} relay tricks refused, with and without TLS")


if __name__ == "__main__":
    unittest.main()
