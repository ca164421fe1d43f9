"""Relay features end to end through the real daemon: AUTH towards the next hop (per route and
smarthost, real aiosmtpd sink requiring AUTH), relay networks on the inbound listener, delay DSNs
and success DSNs (NOTIFY=SUCCESS)."""
import os
import subprocess
import unittest

from gateway import LIB_DIR, Daemon, Sink, make_tls_cert, run, scratch_database, swaks, wait_for, workdir
from mail_env import PASSWORD, Env, gw_log, queue_id_of

RELAY_PASSWORD = "s3cret-Relay-Pa55"


class AuthSink(Sink):
    """The aiosmtpd sink requiring AUTH with user relay@contoso.test (optionally with STARTTLS)."""

    def __init__(self, directory, tls=None):
        super().__init__(directory)
        self.tls = tls

    def start(self):
        args = ["/usr/bin/python3", os.path.join(LIB_DIR, "sink.py"), str(self.port), self.directory,
                "--auth", "relay@contoso.test:" + RELAY_PASSWORD]
        if self.tls:
            args += ["--tls", *self.tls]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seen = ""
        for _ in range(10):  # aiosmtpd warns about AUTH without TLS before "ready"
            line = self.proc.stdout.readline()
            seen += line
            if "ready" in line:
                return self
            if not line:
                break
        self.proc.kill()
        raise AssertionError("sink did not start: " + seen)


def password_file(d, text=RELAY_PASSWORD):
    path = os.path.join(d, "relay.pw")
    with open(path, "w") as f:
        f.write(text + "\n")
    return path


class GatewayRelayTest(unittest.TestCase):
    def test_route_auth_without_tls_only_when_allowed_and_password_never_logged(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = AuthSink(os.path.join(d, "sink"))
            pw = password_file(d)
            route = (f"  routes: [{{domain: example.org, host: \"127.0.0.1:{sink.port}\", tls: none, "
                     f"auth_user: relay@contoso.test, auth_password_file: {pw}}}]\n")
            env = Env(d, url, name, 1, relay_extra=route + "  allow_auth_without_tls: true\n")
            with sink, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "carol@example.org")
                self.assertEqual(code, 0, out)
                msgs = wait_for(sink.messages, what="relay delivery with AUTH")
                self.assertEqual(msgs[0][0]["auth"], "relay@contoso.test")
                self.assertEqual(msgs[0][0]["rcpt_tos"], ["carol@example.org"])
            self.assertNotIn(RELAY_PASSWORD, gw_log(d))

    def test_route_auth_needs_tls_by_default_then_works_over_starttls(self):
        with workdir() as d, scratch_database() as (url, name):
            cert, key = make_tls_cert(d, "localhost")
            sink = AuthSink(os.path.join(d, "sink"), tls=(cert, key))
            plain = AuthSink(os.path.join(d, "plain"))
            pw = password_file(d)
            routes = (f"  routes: [{{domain: example.org, host: \"127.0.0.1:{sink.port}\", tls: required, "
                      f"auth_user: relay@contoso.test, auth_password_file: {pw}}},\n"
                      f"           {{domain: example.net, host: \"127.0.0.1:{plain.port}\", tls: none, "
                      f"auth_user: relay@contoso.test, auth_password_file: {pw}}}]\n")
            env = Env(d, url, name, 1, relay_extra=routes)
            with sink, plain, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "carol@example.org")
                self.assertEqual(code, 0, out)
                msgs = wait_for(sink.messages, what="relay delivery over STARTTLS with AUTH")
                self.assertTrue(msgs[0][0]["tls"])
                self.assertEqual(msgs[0][0]["auth"], "relay@contoso.test")
                # the same credentials towards a next hop without TLS are not sent: deferred
                code, out = env.submit("--from", "alice@contoso.test", "--to", "dan@example.net")
                self.assertEqual(code, 0, out)
                qid = queue_id_of(out)
                reply = wait_for(lambda: env.sql(
                    "SELECT r.last_reply FROM queue_recipients r JOIN queue_messages m ON "
                    f"m.id = r.message_id WHERE m.queue_id = '{qid}' AND r.attempts > 0"),
                    what="deferral")
                self.assertIn("offers no AUTH PLAIN over this connection", reply)
                self.assertEqual(env.sql("SELECT state FROM queue_recipients r JOIN queue_messages m "
                                         f"ON m.id = r.message_id WHERE m.queue_id = '{qid}'"), "pending")
                self.assertEqual(plain.messages(), [])
            self.assertNotIn(RELAY_PASSWORD, gw_log(d))

    def test_smarthost_wrong_password_defers_without_loss(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = AuthSink(os.path.join(d, "sink"))
            pw = password_file(d, "wrong-password")
            env = Env(d, url, name, sink.port,
                      relay_extra=f"  auth_user: relay@contoso.test\n  auth_password_file: {pw}\n"
                                  "  allow_auth_without_tls: true\n")
            with sink, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "carol@example.org")
                self.assertEqual(code, 0, out)
                qid = queue_id_of(out)
                reply = wait_for(lambda: env.sql("SELECT last_reply FROM queue_recipients WHERE attempts > 0"),
                                 what="deferral")
                self.assertIn("authentication at 127.0.0.1 failed: 535", reply)
                self.assertEqual(env.sql("SELECT state FROM queue_recipients"), "pending")
                self.assertEqual(sink.messages(), [])
            self.assertNotIn("wrong-password", gw_log(d))
            # with the right password the queued message goes out
            password_file(d)
            with sink, Daemon(env.cfg, env.ports):
                self.assertEqual(run("queue", "retry", qid, "-c", env.cfg).returncode, 0)
                msgs = wait_for(sink.messages, what="delivery after fixing the password")
                self.assertEqual(msgs[0][0]["auth"], "relay@contoso.test")

    def test_unreadable_password_file_stops_serve_with_a_clear_error(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1, relay_extra="  auth_user: relay@contoso.test\n"
                                                   f"  auth_password_file: {d}/missing.pw\n")
            p = subprocess.run([os.environ.get("SMIMEGW_BIN", "smimegw"), "serve", "-c", env.cfg],
                               capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("relay.auth_password_file", p.stderr)
            self.assertIn(f"{d}/missing.pw", p.stderr)

    def test_inbound_relay_networks_allow_listed_clients_only(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port, smtp_extra="  inbound: {relay_networks: [127.0.0.0/8]}\n")
            with sink, Daemon(env.cfg, env.ports):
                code, out = swaks(env.ports["inbound"], "--from", "app@internal.test", "--to",
                                  "carol@example.org", "--header", "Subject: from-app")
                self.assertEqual(code, 0, out)
                msgs = wait_for(sink.messages, what="relayed from a relay network")
                self.assertEqual(msgs[0][0]["rcpt_tos"], ["carol@example.org"])
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1,
                      smtp_extra="  inbound: {relay_networks: [10.0.0.0/8, \"::1/128\"]}\n")
            with Daemon(env.cfg, env.ports):
                code, out = swaks(env.ports["inbound"], "--from", "app@internal.test", "--to",
                                  "carol@example.org")
                self.assertNotEqual(code, 0)
                self.assertIn("554 5.7.1", out)
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")

    def test_bad_relay_network_stops_serve_with_a_clear_error(self):
        with workdir() as d, scratch_database() as (url, name):
            env = Env(d, url, name, 1, smtp_extra="  inbound: {relay_networks: [10.0.0.0/33]}\n")
            p = subprocess.run([os.environ.get("SMIMEGW_BIN", "smimegw"), "serve", "-c", env.cfg],
                               capture_output=True, text=True, timeout=30)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("smtp.inbound.relay_networks", p.stderr)
            self.assertIn("10.0.0.0/33", p.stderr)

    def test_delay_dsn_once_after_the_configured_time(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"), refuse=["slow@example.org:451"])
            env = Env(d, url, name, sink.port, queue_extra="  delay_dsn_after_s: 1\n")
            with sink, Daemon(env.cfg, env.ports):
                code, out = env.submit("--from", "alice@contoso.test", "--to", "slow@example.org",
                                       "--header", "Subject: slow-one")
                self.assertEqual(code, 0, out)
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE "
                                         "mailbox = 'alice@contoso.test'") == "1",
                         timeout=30, what="delay DSN in alice's mailbox")
                dsn = env.sql("SELECT convert_from(body, 'UTF8') FROM mailbox_messages")
                self.assertIn("Subject: Delayed Mail (still being retried)", dsn)
                self.assertIn("Action: delayed", dsn)
                self.assertIn("Status: 4.1.1", dsn)
                self.assertIn("Will-Retry-Until: ", dsn)
                self.assertIn("Content-Type: text/rfc822-headers", dsn)
                # further retries (1 s apart) send no second one
                wait_for(lambda: int(env.sql("SELECT max(attempts) FROM queue_recipients")) >= 4,
                         timeout=30, what="more retries")
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages WHERE source = 'dsn'"), "1")

    def test_notify_success_gives_delivered_and_relayed_dsns(self):
        with workdir() as d, scratch_database() as (url, name):
            sink = Sink(os.path.join(d, "sink"))
            env = Env(d, url, name, sink.port)
            with sink, Daemon(env.cfg, env.ports):
                notify_success_submission(env)
                # one DSN, or one per recipient when they finish at different moments
                def reports():
                    text = env.sql("SELECT coalesce(string_agg(convert_from(body, 'UTF8'), ''), '') "
                                   "FROM mailbox_messages WHERE mailbox = 'alice@contoso.test'")
                    return text if "Action: delivered" in text and "Action: relayed" in text else None
                try:
                    dsn = wait_for(reports, timeout=30, what="success DSNs")
                except AssertionError:
                    print(env.sql("SELECT address, notify, state, dsn_state, last_reply FROM queue_recipients"))
                    print(gw_log(d)[-4000:])
                    raise
                self.assertIn("Subject: Successful Mail Delivery Report", dsn)
                self.assertRegex(dsn, r"Final-Recipient: rfc822; bob@contoso.test\r?\nAction: delivered")
                # aiosmtpd offers no DSN extension, so the relay reports "relayed" (RFC 3461 §4.2)
                self.assertRegex(dsn, r"Final-Recipient: rfc822; carol@example.org\r?\nAction: relayed")
                self.assertIn("Original-Recipient: rfc822; carol@example.org", dsn)
                self.assertIn("Status: 2.", dsn)


def notify_success_submission(env):
    """STARTTLS + AUTH on submission, then RCPT with NOTIFY=SUCCESS (and ORCPT), which swaks cannot
    send. Raises unless the message got its 250."""
    import smtplib
    import ssl
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", env.ports["submission"], timeout=30) as s:
        s.ehlo("client.test")
        s.starttls(context=ctx)
        s.ehlo("client.test")
        s.login("alice@contoso.test", PASSWORD)
        s.mail("alice@contoso.test")
        for rcpt, opts in (("bob@contoso.test", ["NOTIFY=SUCCESS"]),
                           ("carol@example.org", ["NOTIFY=SUCCESS,FAILURE", "ORCPT=rfc822;carol@example.org"])):
            code, text = s.rcpt(rcpt, opts)
            assert code == 250, (code, text)
        code, text = s.data(b"From: alice@contoso.test\r\nTo: bob@contoso.test\r\n"
                            b"Subject: notify-success\r\n\r\nhello\r\n")
        assert code == 250, (code, text)


if __name__ == "__main__":
    unittest.main()
