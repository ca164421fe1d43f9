"""Shared set-up of the security sweep (tests/integration/test_security_*.py): the mail Env of
mail_env.py plus a key vault (KEK), a trusted test PKI with PKCS#12 keys imported for alice and
bob, an admin token, a relay sink that requires AUTH (so a relay password is in play), and small
HTTP helpers for the admin and sync listeners (plain HTTP on loopback)."""
import http.client
import json
import os
import subprocess
import urllib.parse

from gateway import LIB_DIR, Sink, run
from mail_env import PASSWORD, Env

P12_PASSWORD = "P12-Import-Secret-8472"
RELAY_USER = "relay@contoso.test"
RELAY_PASSWORD = "Relay-Hop-Secret-5531"


class AuthSink(Sink):
    """The aiosmtpd sink requiring AUTH PLAIN/LOGIN with RELAY_USER / RELAY_PASSWORD."""

    def start(self):
        args = ["/usr/bin/python3", os.path.join(LIB_DIR, "sink.py"), str(self.port),
                self.directory, "--auth", f"{RELAY_USER}:{RELAY_PASSWORD}"]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
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


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


class SecurityEnv(Env):
    """Env (alice + proxy a.smith, bob; password PASSWORD) with revocation off, a KEK, a test PKI
    trusted by the gateway, alice's and bob's keys imported from PKCS#12, an admin token, and the
    smarthost an AuthSink reached with RELAY_PASSWORD. Every CLI result is kept in `self.cli_log`
    (stdout and stderr) for the log sweep, except the admin token's stdout."""

    def __init__(self, d, db_url, db_name, pg_host=None, extra="", smtp_extra=""):
        self.sink = AuthSink(os.path.join(d, "sink"))
        pw = os.path.join(d, "relay.pw")
        with open(pw, "w") as f:
            f.write(RELAY_PASSWORD + "\n")
        relay = (f"  auth_user: {RELAY_USER}\n  auth_password_file: {pw}\n"
                 "  allow_auth_without_tls: true\n")
        super().__init__(d, db_url, db_name, self.sink.port, pg_host=pg_host,
                         extra="trust: {revocation: off}\n" + extra, relay_extra=relay,
                         smtp_extra=smtp_extra)
        self.cli_log = []
        self.cli("keys", "init")
        self.ca = os.path.join(d, "ca")
        self.root = pki("init", "--dir", self.ca, "--name", "Sweep Root")["root"]
        self.cli("trust", "add", self.root)
        self.p12_pw = os.path.join(d, "p12.pw")
        with open(self.p12_pw, "w") as f:
            f.write(P12_PASSWORD + "\n")
        self.people = {}
        for who in ("alice", "bob"):
            p12 = os.path.join(d, who + ".p12")
            self.people[who] = pki("issue", "--dir", self.ca, "--email", f"{who}@contoso.test",
                                   "--name", who, "--out-p12", p12, "--password-file",
                                   self.p12_pw)
            self.cli("users", "import-pkcs12", f"{who}@contoso.test", p12, "--password-file",
                     self.p12_pw)
        r = run("admin", "token", "create", "sweep", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        self.admin_token = r.stdout.strip()
        self.cli_log.append(r.stderr)
        with open(os.path.join(d, "kek.bin"), "rb") as f:
            self.kek = f.read()

    def cli(self, *args, check=True):
        r = run(*args, "-c", self.cfg)
        self.cli_log.append(r.stdout + r.stderr)
        if check:
            assert r.returncode == 0, f"{args}: {r.stderr}"
        return r

    def http(self, listener, method, path, body=None, token=None, headers=None):
        """(status, headers with lower-case names, JSON body or bytes) from the admin or sync
        listener."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection("127.0.0.1", self.ports[listener], timeout=20)
        try:
            c.request(method, path, body=body, headers=h)
            resp = c.getresponse()
            raw = resp.read()
            ctype = resp.getheader("Content-Type", "")
            data = json.loads(raw) if ctype.startswith("application/json") and raw else raw
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            c.close()

    def grant(self, user, password=PASSWORD):
        form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                       "password": password, "client_id": "sweep"})
        return self.http("sync", "POST", "/v1.0/oauth2/token", form,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})

    def token(self, user):
        st, _, body = self.grant(user)
        assert st == 200, body
        return body["access_token"]

    def inbox_ids(self, token, folder="inbox"):
        """The Graph ids of a folder through a full delta round."""
        link, ids = f"/v1.0/me/mailFolders/{folder}/messages/delta", []
        while link:
            st, _, body = self.http("sync", "GET", link, token=token,
                                    headers={"Prefer": "odata.maxpagesize=100"})
            assert st == 200, body
            ids += [m["id"] for m in body["value"] if "@removed" not in m]
            link = body.get("@odata.nextLink")
        return ids
