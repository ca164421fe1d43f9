"""Shared set-up of the mail integration tests (test_gateway_mail.py, test_gateway_relay.py): a
migrated database with users, a TLS certificate and a config relaying to a sink."""
import os
import re

from gateway import make_tls_cert, psql, run, swaks, write_config

PASSWORD = "Corr3ct-Horse-Battery"


class Env:
    """A migrated database with users alice (password, proxy a.smith@) and bob, a TLS certificate,
    and a config whose smarthost is the sink port."""

    def __init__(self, d, db_url, db_name, sink_port, extra="", pg_host=None, smtp_extra="",
                 relay_extra="", queue_extra=""):
        """`smtp_extra`, `relay_extra`, `queue_extra`: more YAML lines (2-space indented) under
        smtp:, relay: and queue:."""
        self.d, self.db_name, self.pg_host = d, db_name, pg_host
        cert, key = make_tls_cert(d)
        self.extra = (f"smtp:\n  tls: {{certificate_file: {cert}, key_file: {key}}}\n{smtp_extra}"
                      f"relay:\n  smarthost: \"127.0.0.1:{sink_port}\"\n  tls: none\n{relay_extra}"
                      f"queue:\n  poll_ms: 50\n  lease_s: 10\n  retry_schedule_s: [1]\n{queue_extra}"
                      + extra)
        self.cfg, self.ports = write_config(d, db_url, self.extra)
        r = run("migrate", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        pw = os.path.join(d, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        for args in (["alice@contoso.test", "--name", "Alice", "--password-file", pw, "--proxy",
                      "a.smith@contoso.test"], ["bob@contoso.test", "--password-file", pw]):
            r = run("users", "add", *args, "-c", self.cfg)
            assert r.returncode == 0, r.stderr

    def sql(self, q):
        return psql(q, db=self.db_name, host=self.pg_host)

    def submit(self, *args):
        return swaks(self.ports["submission"], "--tls", "--auth", "PLAIN", "--auth-user",
                     "alice@contoso.test", "--auth-password", PASSWORD, *args)


def gw_log(d):
    out = ""
    for name in sorted(os.listdir(d)):
        if name.endswith(".log"):
            with open(os.path.join(d, name)) as f:
                out += f.read()
    return out


def queue_id_of(transcript):
    m = re.search(r"<[-~]  250 2\.0\.0 Ok: queued as ([0-9A-Z]{16})", transcript)
    assert m, transcript
    return m.group(1)
