"""Policy in transport end to end (issue 7): the real daemon with a key vault, the test PKI, users
with PKCS#12 keys, a label catalog, a private slapd for external recipients' certificates and a
relay sink. Everything the gateway signs or encrypts is opened with `openssl cms` at the sink; every
refusal happens before 250 and names each recipient; the sink never sees protected plaintext."""
import http.client
import json
import os
import urllib.parse
import random
import re
import signal
import subprocess
import time
import unittest

from gateway import Daemon, Sink, run, scratch_database, swaks, wait_for, workdir
from ldap import Slapd
from mail_env import PASSWORD, Env
from test_trust_serve import CrlServer

TENANT = "6d1c3f0e-2b4a-4c8d-9e7f-0a1b2c3d4e5f"
GROUP = "team@contoso.test"  # bob and FRANK (no certificate): a group with one bad member
FRANK = "frank@example.org"
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


def msip(label_id):
    return (f"MSIP_Label_{label_id}_Enabled=true; MSIP_Label_{label_id}_SiteId={TENANT}; "
            f"MSIP_Label_{label_id}_Method=Privileged")


class World:
    """Database, vault, PKI, users alice/bob with keys, labels, slapd with external people."""

    def __init__(self, test, intermediate=False, revocation="off", crl_server=None):
        """`crl_server`: also an external ray@example.org whose certificate names a CRL published
        there, and is revoked in it (for `revocation` prefer or require)."""
        self.d = test.enterContext(workdir())
        url, name = test.enterContext(scratch_database())
        self.sink = Sink(os.path.join(self.d, "sink"))
        self.slapd = Slapd(os.path.join(self.d, "slapd"))
        extra = (f"trust: {{revocation: {revocation}}}\n"
                 f"ldap: {{endpoints: [\"{self.slapd.endpoint}\"], search_timeout_ms: 3000}}\n")
        self.env = Env(self.d, url, name, self.sink.port, extra=extra)
        with open(self.env.cfg) as f:
            text = f.read()
        with open(self.env.cfg, "w") as f:
            f.write(text.replace("organization:\n", f"organization:\n  tenant_id: {TENANT}\n", 1))
        self.cli("keys", "init")
        self.ca = os.path.join(self.d, "ca")
        init = pki("init", "--dir", self.ca, "--name", "Contoso Root",
                   *(["--intermediate"] if intermediate else []))
        self.root = init["root"]  # leaves are issued by the root itself, or by the intermediate
        self.cli("trust", "add", self.root)
        self.intermediate = init.get("intermediate")
        if self.intermediate:  # the virtual certificate collection holds it too (includeChain)
            self.cli("trust", "add", self.intermediate)
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
        # a group with one bad member: bob (GAL) and frank (external, no certificate anywhere)
        self.cli("groups", "add", "team@contoso.test")
        self.cli("groups", "members", "team@contoso.test", "--add", "bob@contoso.test",
                 "--add", "frank@example.org")
        externals = ["carol", "dave", "erin"]
        if crl_server:
            self.people["ray"] = pki("issue", "--dir", self.ca, "--email", "ray@example.org",
                                     "--name", "Ray", "--crl-url", crl_server.url("/root.crl"))
            pki("revoke", "--dir", self.ca, "--cert", self.people["ray"]["cert"],
                "--reason", "keyCompromise")
            crl = os.path.join(self.d, "root.crl")
            pki("crl", "--dir", self.ca, "--out", crl)
            with open(crl, "rb") as f:
                crl_server.files["/root.crl"] = f.read()
            externals.append("ray")
        test.addCleanup(self.slapd.stop)
        self.slapd.start([(cn, f"{cn}@example.org", self.people[cn]["cert"])
                          for cn in externals])

    def cli(self, *args):
        r = run(*args, "-c", self.env.cfg)
        assert r.returncode == 0, f"{args}: {r.stderr}"
        return r.stdout

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
    # S/MIME is off until the user enables it (sealed mail is served undecrypted while off)
    st, s = sync_call(port, "PATCH", "/v1.0/me/settings", json.dumps({"smimeEnabled": True}),
                      token=token, headers={"Content-Type": "application/json"})
    assert st == 200, s
    st, page = sync_call(port, "GET", "/v1.0/me/mailFolders/inbox/messages/delta", token=token)
    assert st == 200, page
    out = []
    for m in page["value"]:
        st, msg = sync_call(port, "GET", "/v1.0/me/messages/" + m["id"], token=token)
        assert st == 200, msg
        out.append(msg)
    return out


def signature_certificates(w, signed):
    """The subjects of the certificates carried in the SignedData of a multipart/signed message."""
    p7 = openssl("smime", "-pk7out", data=signed)
    assert p7.returncode == 0, p7.stderr.decode()
    certs = openssl("pkcs7", "-print_certs", "-noout", data=p7.stdout)
    assert certs.returncode == 0, certs.stderr.decode()
    return [l for l in certs.stdout.decode().splitlines() if l.startswith("subject=")]


def verify_root_only(w, signed):
    """openssl cms -verify with only the root as trust anchor and no -certfile."""
    return openssl("cms", "-verify", "-CAfile", w.root, data=signed)


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
            # each refusal carries the validation codes of the certificates found
            self.assertRegex(lines, r"dave@example\.org: all_invalid: .*none valid: .*expired")
            self.assertRegex(lines, r"erin@example\.org: all_invalid: .*none valid: "
                                    r".*(chain_incomplete|untrusted_root)")
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
        crls = CrlServer()
        self.addCleanup(crls.stop)
        # revocation prefer: ray's certificate is listed in the CRL its distribution point names
        w = World(self, revocation="prefer", crl_server=crls)
        rng = random.Random(int(os.environ.get("SMIMEGW_PROPERTY_SEED", "7")))
        pool = {"carol@example.org": None, "bob@contoso.test": None,
                "dave@example.org": "all_invalid", "erin@example.org": "all_invalid",
                "frank@example.org": "no_certificate", GROUP: "no_certificate",
                "ray@example.org": "all_invalid: .*revoked"}
        # a refusal names the member reached through the group, with the group path
        named = {GROUP: f"frank@example.org (via {GROUP})"}
        external_accepted = False
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            for i in range(12):
                to = rng.sample(sorted(pool), rng.randint(1, 3))
                if i < len(pool) and sorted(pool)[i] not in to:  # every kind at least once
                    to[0] = sorted(pool)[i]
                label = rng.choice([None, CONFIDENTIAL, PROTECTED])
                headers = [f"msip_labels: {msip(label)}"] if label else ["X-Smimegw-Encrypt: yes"]
                code, out = w.submit(to, headers, body=f"{SECRET}-{i}")
                # the group's external member counts as an external recipient
                externals = [a for a in to if not a.endswith("@contoso.test") or a == GROUP]
                if label == PROTECTED and externals:  # scope is decided before certificates
                    expected = {a: "internal_only_external_recipient" for a in externals}
                else:
                    expected = {a: pool[a] for a in to if pool[a]}
                lines = "\n".join(refusal_lines(out))
                if expected:
                    self.assertNotEqual(code, 0, f"{to} {label}: {out}")
                    for a, reason in expected.items():
                        # an address reached both directly and through the group is named once,
                        # by the first path
                        who = re.escape(named.get(a, a).split(" ")[0])
                        path = rf" \(via {re.escape(GROUP)}\)"
                        both = FRANK in to and GROUP in to and a in (FRANK, GROUP)
                        form = f"{who}({path})?" if both else re.escape(named.get(a, a))
                        self.assertRegex(lines, f"{form}: {reason}")
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

    def test_include_chain_setting_decides_the_certificates_in_the_signature(self):
        w = World(self, intermediate=True)
        expected = {"none": 1, "withoutRoot": 2, "withRoot": 3}
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            for n, (setting, count) in enumerate(expected.items()):
                w.cli("smime-config", "set", f"includeChain={setting}")
                time.sleep(2.2)  # the gate re-reads the settings at most every 2 s
                code, out = w.submit(["carol@example.org"], ["X-Smimegw-Sign: yes"],
                                     body=f"{SECRET}-{setting}")
                self.assertEqual(code, 0, out)
                msgs = wait_for(lambda: w.sink.messages()[n:], what=f"signed ({setting})")
                raw = msgs[0][1]
                self.assertIn(b"multipart/signed", raw)
                subjects = signature_certificates(w, raw)
                self.assertEqual(len(subjects), count, f"{setting}: {subjects}")
                self.assertTrue(any("alice" in s for s in subjects), subjects)
                has_root = any(s.endswith("CN = Contoso Root") for s in subjects)
                self.assertEqual(has_root, setting == "withRoot", subjects)
                verified = verify_root_only(w, raw)
                if setting == "none":  # the recipient cannot build the path without AIA
                    self.assertNotEqual(verified.returncode, 0, verified.stderr.decode())
                else:
                    self.assertEqual(verified.returncode, 0, verified.stderr.decode())
                    self.assertIn(f"{SECRET}-{setting}".encode(), verified.stdout)
                qid = re.search(r"queued as ([0-9A-Z]{16})", out).group(1)
                trace = wait_for(lambda: "signed" in w.cli("trace", qid) and w.cli("trace", qid),
                                 what="signed trace")
                self.assertIn(f"include_chain={setting}", trace)
                self.assertIn(f"chain_certificates={count - 1}", trace)

    def test_retry_resends_the_stored_copy_without_signing_again_even_after_a_crash(self):
        w = World(self)
        daemon = Daemon(w.env.cfg, w.env.ports)
        self.addCleanup(daemon.stop, signal.SIGKILL)
        daemon.start()
        # the next hop is down: every attempt is deferred (retry_schedule_s: [1])
        code, out = w.submit(["carol@example.org"],
                             ["X-Smimegw-Sign: yes", "X-Smimegw-Encrypt: yes"])
        self.assertEqual(code, 0, out)
        qid = re.search(r"queued as ([0-9A-Z]{16})", out).group(1)
        attempts = lambda: int(w.env.sql(  # noqa: E731
            "SELECT attempts FROM queue_recipients WHERE address = 'carol@example.org'"))
        wait_for(lambda: attempts() >= 3, timeout=30, what="three deferred attempts")
        self.assertEqual(w.env.sql("SELECT count(*) FROM queue_copies"), "1")
        self.assertEqual(w.env.sql("SELECT count(*) FROM queue_recipients "
                                   "WHERE copy_id IS NOT NULL AND state = 'pending'"), "1")
        stored = w.env.sql("SELECT encode(body, 'escape') FROM queue_copies")
        self.assertNotIn(SECRET, stored)  # the stored copy is the processed (encrypted) one
        self.assertIn("application/pkcs7-mime", stored)
        events = lambda: [l for l in w.cli("trace", qid).splitlines()  # noqa: E731
                          if "  outbound  " in l]
        self.assertEqual(sum(" signed " in l for l in events()), 1, events())
        self.assertEqual(sum(" encrypted " in l for l in events()), 1, events())
        # a crash while deferred: the new process re-sends the same stored copy
        daemon.stop(signal.SIGKILL)
        before = attempts()
        with w.sink, Daemon(w.env.cfg, w.env.ports):
            msgs = wait_for(w.sink.messages, timeout=30, what="delivery after the restart")
            wait_for(lambda: w.env.sql("SELECT state FROM queue_recipients") == "delivered",
                     what="recipient delivered")
        self.assertGreaterEqual(attempts(), before + 1)
        self.assertEqual(len(msgs), 1)
        raw = msgs[0][1]
        self.assertNotIn(SECRET.encode(), raw)
        self.assertIn(SECRET.encode(), w.verify(w.decrypt("carol", raw)))
        self.assertEqual(sum(" signed " in l for l in events()), 1, events())
        self.assertEqual(sum(" encrypted " in l for l in events()), 1, events())
        self.assertEqual(w.env.sql("SELECT count(*) FROM queue_copies"), "1")


if __name__ == "__main__":
    unittest.main()
