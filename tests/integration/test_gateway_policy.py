"""Policy in transport end to end (issue 7): the real daemon with a key vault, the test PKI, users
with PKCS#12 keys, a label catalog, a private slapd for external recipients' certificates and a
relay sink. Everything the gateway signs or encrypts is opened with `openssl cms` at the sink; every
refusal happens before 250 and names each recipient; the sink never sees protected plaintext."""
import base64
import http.client
import json
import os
import urllib.parse
import random
import re
import signal
import subprocess
import unittest

from gateway import Daemon, Sink, free_port, run, scratch_database, swaks, wait_for, workdir
from mail_env import PASSWORD, Env

SLAPD = os.path.join(os.environ.get("SMIMEGW_SOURCE_DIR", "."), "tests/support/slapd/start.sh")
TENANT = "6d1c3f0e-2b4a-4c8d-9e7f-0a1b2c3d4e5f"
SECRET = "Zebra-Plaintext-Canary-4711"
PROTECTED = "9c8b7a69-5847-4362-a150-4f3e2d1c0b9a"
CONFIDENTIAL = "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f"

LABELS = """labels:
  - id: 0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f
    name: Confidential
    display_name: Confidential
    priority: 10
    marking:
      footer: "Labelled ${Item.Label}"
    protection: encrypt
  - id: 9c8b7a69-5847-4362-a150-4f3e2d1c0b9a
    name: InternalOnly
    display_name: Internal Only
    priority: 20
    marking:
      header: "INTERNAL ONLY"
    protection: encrypt
    scope:
      internal_only: true
policies:
  - name: Everyone
    priority: 0
    all_users: true
    labels: [Confidential, InternalOnly]
"""


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True)


def der_of(pem_path):
    return subprocess.run(["openssl", "x509", "-in", pem_path, "-outform", "DER"], check=True,
                          capture_output=True).stdout


def msip(label_id):
    return (f"MSIP_Label_{label_id}_Enabled=true; MSIP_Label_{label_id}_SiteId={TENANT}; "
            f"MSIP_Label_{label_id}_Method=Privileged")


class World:
    """Database, vault, PKI, users alice/bob with keys, labels, slapd with external people."""

    def __init__(self, test):
        self.d = test.enterContext(workdir())
        url, name = test.enterContext(scratch_database())
        self.sink = Sink(os.path.join(self.d, "sink"))
        self.ldap_port = free_port()
        extra = (f"trust: {{revocation: off}}\n"
                 f"ldap: {{endpoints: [\"127.0.0.1:{self.ldap_port}\"], search_timeout_ms: 3000}}\n")
        self.env = Env(self.d, url, name, self.sink.port, extra=extra)
        with open(self.env.cfg) as f:
            text = f.read()
        with open(self.env.cfg, "w") as f:
            f.write(text.replace("organization:\n", f"organization:\n  tenant_id: {TENANT}\n", 1))
        self.cli("keys", "init")
        self.ca = os.path.join(self.d, "ca")
        init = pki("init", "--dir", self.ca, "--name", "Contoso Root")
        self.root = init["root"]  # leaves are issued by the root itself
        self.cli("trust", "add", self.root)
        pw = os.path.join(self.d, "p12pw")
        with open(pw, "w") as f:
            f.write("p12-Passw0rd!\n")
        self.people = {}
        for who in ("alice", "bob"):
            p12 = os.path.join(self.d, who + ".p12")
            out = pki("issue", "--dir", self.ca, "--email", f"{who}@contoso.test", "--name", who,
                      "--out-p12", p12, "--password-file", pw)
            self.people[who] = out
            self.cli("users", "import-pkcs12", f"{who}@contoso.test", p12, "--password-file", pw)
        labels = os.path.join(self.d, "labels.yaml")
        with open(labels, "w") as f:
            f.write(LABELS)
        self.cli("labels", "import", labels)
        # external people in LDAP: carol valid, dave expired, erin from an unknown CA
        self.people["carol"] = pki("issue", "--dir", self.ca, "--email", "carol@example.org",
                                   "--name", "Carol")
        self.people["dave"] = pki("issue", "--dir", self.ca, "--email", "dave@example.org",
                                  "--name", "Dave", "--not-before", "-40d", "--days", "10")
        rogue = os.path.join(self.d, "rogue")
        pki("init", "--dir", rogue, "--name", "Rogue Root")
        self.people["erin"] = pki("issue", "--dir", rogue, "--email", "erin@example.org",
                                  "--name", "Erin")
        self.start_slapd([("carol", "carol@example.org"), ("dave", "dave@example.org"),
                          ("erin", "erin@example.org")])
        test.addCleanup(self.stop_slapd)

    def cli(self, *args):
        r = run(*args, "-c", self.env.cfg)
        assert r.returncode == 0, f"{args}: {r.stderr}"
        return r.stdout

    def start_slapd(self, people):
        ldif = ("dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\n"
                "o: Example\ndc: example\n\n")
        for cn, mail in people:
            pem = self.people[cn]["cert"]
            ldif += (f"dn: cn={cn},dc=example,dc=test\nobjectClass: inetOrgPerson\ncn: {cn}\n"
                     f"sn: {cn}\nmail: {mail}\nuserSMIMECertificate:: "
                     f"{base64.b64encode(der_of(pem)).decode()}\n\n")
        path = os.path.join(self.d, "people.ldif")
        with open(path, "w") as f:
            f.write(ldif)
        subprocess.run([SLAPD, os.path.join(self.d, "slapd"), str(self.ldap_port), path],
                       check=True, capture_output=True)

    def stop_slapd(self):
        pidfile = os.path.join(self.d, "slapd", "slapd.pid")
        if os.path.exists(pidfile):
            with open(pidfile) as f:
                os.kill(int(f.read().strip()), signal.SIGTERM)

    def submit(self, to, headers=(), body=SECRET):
        args = ["--from", "alice@contoso.test", "--body", body, "--to", ",".join(to)]
        for h in headers:
            args += ["--header", h]
        return self.env.submit(*args)

    def decrypt(self, who, message):
        p = self.people[who]
        r = openssl("cms", "-decrypt", "-recip", p["cert"], "-inkey", p["key"], data=message)
        assert r.returncode == 0, r.stderr.decode()
        return r.stdout

    def verify(self, signed):
        bundle = os.path.join(self.d, "bundle.pem")
        with open(bundle, "w") as f:
            f.write(open(self.root).read())
        r = openssl("cms", "-verify", "-CAfile", bundle, data=signed)
        assert r.returncode == 0, r.stderr.decode()
        return r.stdout


def sync_call(port, method, path, body=None, token=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        c.request(method, path, body=body, headers=h)
        resp = c.getresponse()
        return resp.status, json.loads(resp.read() or b"null")
    finally:
        c.close()


def fetch_inbox(port, user):
    """Every message of `user`'s inbox as the sync API serves it (decrypted on fetch)."""
    form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                   "password": PASSWORD, "client_id": "test"})
    st, tok = sync_call(port, "POST", "/v1.0/oauth2/token", form,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 200, tok
    token = tok["access_token"]
    st, page = sync_call(port, "GET", "/v1.0/me/mailFolders/inbox/messages/delta", token=token)
    assert st == 200, page
    out = []
    for m in page["value"]:
        st, msg = sync_call(port, "GET", "/v1.0/me/messages/" + m["id"], token=token)
        assert st == 200, msg
        out.append(msg)
    return out


def refusal_lines(transcript):
    return [l for l in transcript.splitlines() if re.match(r"<[~*]\*\s+550[ -]5\.7\.1 ", l)]


class GatewayPolicyTest(unittest.TestCase):
    def test_sign_and_encrypt_on_request_opened_by_openssl(self):
        w = World(self)
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            code, out = w.submit(["carol@example.org"],
                                 ["X-Smimegw-Sign: yes", "X-Smimegw-Encrypt: yes"])
            self.assertEqual(code, 0, out)
            msgs = wait_for(w.sink.messages, what="encrypted relay delivery")
            raw = msgs[0][1]
            self.assertNotIn(SECRET.encode(), raw)
            self.assertIn(b"application/pkcs7-mime", raw)
            inner = w.decrypt("carol", raw)
            self.assertIn(b"multipart/signed", inner)
            content = w.verify(inner)
            self.assertIn(SECRET.encode(), content)
            self.assertNotIn(b"X-Smimegw", raw + inner)
            qid = re.search(r"queued as ([0-9A-Z]{16})", out).group(1)
            trace = w.cli("trace", qid)
            self.assertIn("recipient_certificate  <carol@example.org>", trace)
            self.assertIn("source=ldap:127.0.0.1", trace)
            self.assertIn("signing_certificate  <alice@contoso.test>", trace)
            wait_for(lambda: "encrypted" in w.cli("trace", qid), what="outbound trace")

    def test_whole_submission_refused_naming_each_recipient(self):
        w = World(self)
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            code, out = w.submit(["carol@example.org", "dave@example.org", "erin@example.org",
                                  "frank@example.org"], ["X-Smimegw-Encrypt: yes"])
            self.assertNotEqual(code, 0, out)
            lines = "\n".join(refusal_lines(out))
            self.assertRegex(lines, r"dave@example\.org: all_invalid")
            self.assertRegex(lines, r"erin@example\.org: all_invalid")
            self.assertRegex(lines, r"frank@example\.org: no_certificate")
            self.assertNotIn("carol@example.org", lines)
            self.assertEqual(w.sink.messages(), [])

    def test_protected_label_marked_encrypted_and_internal_only_refused(self):
        w = World(self)
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            code, out = w.submit(["carol@example.org", "bob@contoso.test"],
                                 [f"msip_labels: {msip(CONFIDENTIAL)}"])
            self.assertEqual(code, 0, out)
            raw = wait_for(w.sink.messages, what="protected delivery")[0][1]
            self.assertNotIn(SECRET.encode(), raw)
            inner = w.decrypt("carol", raw)
            self.assertIn(b"Labelled Confidential", inner)
            # the label field stays outside the envelope: footer (2) + encrypted (8)
            self.assertIn(f"MSIP_Label_{CONFIDENTIAL}_ContentBits=10".encode(), raw)
            # bob's mailbox copy is sealed to the gateway key and bob
            sealed = wait_for(lambda: w.env.sql(
                "SELECT sealed FROM mailbox_messages WHERE mailbox = 'bob@contoso.test'"),
                what="local protected delivery")
            self.assertEqual(sealed, "t")
            body = w.env.sql("SELECT encode(body, 'escape') FROM mailbox_messages")
            self.assertNotIn(SECRET, body)
            # ... and decrypted on fetch for bob through the sync API, with its label and status
            msgs = fetch_inbox(w.env.ports["sync"], "bob@contoso.test")
            self.assertEqual(len(msgs), 1)
            self.assertIn(SECRET, msgs[0]["body"]["content"])
            self.assertIn("Labelled Confidential", msgs[0]["body"]["content"])
            self.assertEqual(msgs[0]["sensitivityLabel"]["id"], CONFIDENTIAL)
            self.assertTrue(msgs[0]["smime"]["encrypted"], msgs[0]["smime"])
            code, out = w.submit(["carol@example.org", "bob@contoso.test"],
                                 [f"msip_labels: {msip(PROTECTED)}"])
            self.assertNotEqual(code, 0, out)
            self.assertRegex("\n".join(refusal_lines(out)),
                             r"carol@example\.org: internal_only_external_recipient")
            self.assertEqual(len(w.sink.messages()), 1)

    def test_no_plaintext_for_random_recipient_mixes(self):
        w = World(self)
        rng = random.Random(int(os.environ.get("SMIMEGW_PROPERTY_SEED", "7")))
        pool = {"carol@example.org": None, "bob@contoso.test": None,
                "dave@example.org": "all_invalid", "erin@example.org": "all_invalid",
                "frank@example.org": "no_certificate"}
        external_accepted = False
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            for i in range(8):
                to = rng.sample(sorted(pool), rng.randint(1, 3))
                label = rng.choice([None, CONFIDENTIAL, PROTECTED])
                headers = [f"msip_labels: {msip(label)}"] if label else ["X-Smimegw-Encrypt: yes"]
                code, out = w.submit(to, headers, body=f"{SECRET}-{i}")
                externals = [a for a in to if not a.endswith("@contoso.test")]
                if label == PROTECTED and externals:  # scope is decided before certificates
                    expected = {a: "internal_only_external_recipient" for a in externals}
                else:
                    expected = {a: pool[a] for a in to if pool[a]}
                lines = "\n".join(refusal_lines(out))
                if expected:
                    self.assertNotEqual(code, 0, f"{to} {label}: {out}")
                    for a, reason in expected.items():
                        self.assertIn(f"{a}: {reason}", lines)
                else:
                    self.assertEqual(code, 0, f"{to} {label}: {out}")
                    external_accepted = external_accepted or bool(externals)
            # everything accepted is delivered, and no copy at the sink or in a mailbox is clear
            wait_for(lambda: w.env.sql("SELECT count(*) FROM queue_recipients WHERE state = "
                                       "'pending'") == "0", what="queue drained")
        for _, raw in w.sink.messages():
            self.assertNotIn(SECRET.encode(), raw)
        bodies = w.env.sql("SELECT encode(body, 'escape') FROM mailbox_messages")
        self.assertNotIn(SECRET, bodies)
        self.assertEqual(len(w.sink.messages()) > 0, external_accepted)


if __name__ == "__main__":
    unittest.main()
