"""Shared set-up of the sync API certificate, device, rights and recipient tests
(test_sync_certificates.py, test_sync_rights.py): a migrated database with a KEK, a PKI whose root
is a trust anchor (revocation off), users alice (proxy a.smith@) and bob with passwords, optional
PKCS#12 keys imported through the CLI, a label catalog, and the daemon's sync listener on loopback.
"""
import base64
import http.client
import json
import os
import smtplib
import subprocess
import urllib.parse

from gateway import Daemon, psql, run, scratch_database, wait_for, workdir, write_config

PASSWORD = "Sync-World-Passw0rd"
P12_PASSWORD = "p12-Passw0rd!"
VIEW_REPLY = "0e9b7c1a-1111-4a2b-9c3d-5e6f7a8b9c0d"  # protected: view and reply only
INTERNAL = "7a6b5c4d-2222-4e3f-8a9b-0c1d2e3f4a5b"    # protected, internal only, every right

LABELS = f"""labels:
  - id: {VIEW_REPLY}
    name: ViewReply
    display_name: View and reply
    priority: 10
    protection: encrypt
    rights: [view, reply]
  - id: {INTERNAL}
    name: InternalOnly
    display_name: Internal Only
    priority: 20
    protection: encrypt
    scope:
      internal_only: true
policies:
  - name: Everyone
    priority: 0
    all_users: true
    labels: [ViewReply, InternalOnly]
"""


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True)


class SyncWorld:
    def __init__(self, test, keys=("alice", "bob"), env=None, extra=""):
        self.test = test
        self.d = test.enterContext(workdir())
        url, self.db_name = test.enterContext(scratch_database())
        self.cfg, self.ports = write_config(
            self.d, url, "relay:\n  smarthost: \"127.0.0.1:1\"\n  tls: none\n"
            "queue:\n  poll_ms: 50\n  retry_schedule_s: [600]\n"
            "trust: {revocation: off}\n" + extra)
        self.cli("migrate")
        self.cli("keys", "init")
        pw = os.path.join(self.d, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        self.cli("users", "add", "alice@contoso.test", "--name", "Alice", "--password-file", pw,
                 "--proxy", "a.smith@contoso.test")
        self.cli("users", "add", "bob@contoso.test", "--name", "Bob", "--password-file", pw)
        self.ca = os.path.join(self.d, "ca")
        self.root = pki("init", "--dir", self.ca, "--name", "Contoso Root")["root"]
        self.cli("trust", "add", self.root)
        self.p12pw = os.path.join(self.d, "p12pw")
        with open(self.p12pw, "w") as f:
            f.write(P12_PASSWORD + "\n")
        self.people = {}
        for who in ("alice", "bob"):
            self.people[who] = self.issue(f"{who}@contoso.test", who)
            if who in keys:
                self.cli("users", "import-pkcs12", f"{who}@contoso.test", self.people[who]["p12"],
                         "--password-file", self.p12pw)
        labels = os.path.join(self.d, "labels.yaml")
        with open(labels, "w") as f:
            f.write(LABELS)
        self.cli("labels", "import", labels)
        self.env = env or {}
        self.daemon = None
        self.start()

    def issue(self, email, name, ca=None, *extra):
        p12 = os.path.join(self.d, f"{name}-{len(os.listdir(self.d))}.p12")
        out = pki("issue", "--dir", ca or self.ca, "--email", email, "--name", name,
                  "--out-p12", p12, "--password-file", self.p12pw, *extra)
        out["p12"] = p12
        return out

    def start(self, env=None):
        if self.daemon:
            self.daemon.stop()
        if env is not None:
            self.env = env
        self.daemon = Daemon(self.cfg, self.ports, env=self.env)
        self.test.addCleanup(self.daemon.__exit__, None, None, None)
        self.daemon.start()
        # the gateway key is made at start; protected mail needs it
        wait_for(lambda: self.sql("SELECT count(*) FROM gateway_keys") != "0", what="gateway key")

    def cli(self, *args):
        r = run(*args, "-c", self.cfg)
        assert r.returncode == 0, f"{args}: {r.stderr}"
        return r.stdout

    def sql(self, q):
        return psql(q, db=self.db_name)

    def call(self, method, path, body=None, token=None, headers=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection("127.0.0.1", self.ports["sync"], timeout=30)
        try:
            c.request(method, path, body=body, headers=h)
            resp = c.getresponse()
            raw = resp.read()
            ctype = resp.getheader("Content-Type", "")
            data = json.loads(raw) if ctype.startswith("application/json") and raw else raw
            return resp.status, data
        finally:
            c.close()

    def token(self, user):
        form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                       "password": PASSWORD})
        st, body = self.call("POST", "/v1.0/oauth2/token", form,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert st == 200, body
        return body["access_token"]

    def enable_smime(self, token):
        st, body = self.call("PATCH", "/v1.0/me/settings", {"smimeEnabled": True}, token=token)
        assert st == 200 and body["smimeEnabled"], body

    def mailbox_count(self, who, folder="inbox"):
        return int(self.sql(f"SELECT count(*) FROM mailbox_messages WHERE mailbox = "
                            f"'{who}' AND folder = '{folder}'"))

    def inject(self, raw, mail_from, to):
        """Delivers a raw message through the inbound listener; returns the new row id."""
        before = self.mailbox_count(to)
        with smtplib.SMTP("127.0.0.1", self.ports["inbound"], timeout=30) as s:
            s.sendmail(mail_from, [to], raw)
        wait_for(lambda: self.mailbox_count(to) == before + 1, what="local delivery")
        return self.sql(f"SELECT max(id) FROM mailbox_messages WHERE mailbox = '{to}'")

    def inbox(self, token):
        """{subject: message} of the caller's inbox (a full delta round)."""
        out, link = {}, "/v1.0/me/mailFolders/inbox/messages/delta"
        while link:
            st, body = self.call("GET", link, token=token,
                                 headers={"Prefer": "odata.maxpagesize=100"})
            assert st == 200, body
            for m in body["value"]:
                if "@removed" not in m:
                    out[m["subject"]] = m
            link = body.get("@odata.nextLink")
        return out

    def wait_subject(self, token, subject):
        return wait_for(lambda: self.inbox(token).get(subject), what=f"message {subject!r}")


def p12_b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def signed_message(person, sender, to, subject, body="signed hello"):
    """A clear-signed message made by openssl smime with `person`'s key."""
    r = openssl("smime", "-sign", "-signer", person["cert"], "-inkey", person["key"],
                "-from", sender, "-to", to, "-subject", subject,
                data=f"Content-Type: text/plain\r\n\r\n{body}\r\n".encode())
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout
