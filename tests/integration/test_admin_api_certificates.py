"""The admin API's certificate pushes (/admin/v1/users/{id}/certificates) and sync-token
administration through the real daemon: PKCS#12 + password (key stored wrapped, the user notified
by a mail in the mailbox, read back through the sync API), a certificate alone (PEM and base64
DER), each refusal with its own code (wrong password, bad MAC, unsupported algorithm, address not
the user's, untrusted unless forced, no key vault), delete; and a user's sync tokens listed and
revoked (one, all, `smimegw admin token revoke-sync`), the revoked token answering 401 at once."""
import base64
import os
import subprocess
import unittest
import urllib.parse

from gateway import run, scratch_database, wait_for, workdir
from test_admin_api import AdminEnv

PW = "Alice-Sync-Password-1"
P12_PASSWORD = "p12-Pass-word"


def pki(*args):
    r = run("pki", *args)
    assert r.returncode == 0, r.stderr
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


class Pki:
    """A test CA (smimegw pki) and files issued by it into `d`."""

    def __init__(self, d, name="ca"):
        self.d, self.dir = d, os.path.join(d, name)
        self.root = pki("init", "--dir", self.dir, "--name", f"{name} Root")["root"]
        self.pw = os.path.join(d, "p12pw")
        with open(self.pw, "w") as f:
            f.write(P12_PASSWORD + "\n")

    def p12(self, email, name, *extra):
        out = os.path.join(self.d, name + ".p12")
        pki("issue", "--dir", self.dir, "--email", email, "--out-p12", out, "--password-file",
            self.pw, "--out-cert", os.path.join(self.d, name + ".pem"), "--out-key",
            os.path.join(self.d, name + ".key"), *extra)
        return out

    def cert(self, email, name, *extra):
        out = os.path.join(self.d, name + ".pem")
        pki("issue", "--dir", self.dir, "--email", email, "--out-cert", out, *extra)
        return out


def env_with_vault(d, url, name, admin_extra=""):
    env = AdminEnv(d, url, name, tls=False, admin_extra=admin_extra,
                   http_extra="trust:\n  revocation: off\n")
    r = run("keys", "init", "-c", env.cfg)
    assert r.returncode == 0, r.stderr
    return env


def sync_call(env, method, path, token=None, body=None, headers=None):
    import http.client
    import json
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    c = http.client.HTTPConnection("127.0.0.1", env.ports["sync"], timeout=15)
    try:
        c.request(method, path, body=body, headers=h)
        resp = c.getresponse()
        raw = resp.read()
        ctype = resp.getheader("Content-Type", "")
        return resp.status, json.loads(raw) if ctype.startswith("application/json") and raw else raw
    finally:
        c.close()


def sync_token(env, user, password):
    form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                   "password": password, "client_id": "app"})
    st, body = sync_call(env, "POST", "/v1.0/oauth2/token", body=form,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 200, body
    return body["access_token"]


class AdminCertificatesTest(unittest.TestCase):
    def assertError(self, result, status, code, message_part=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(body["error"]["code"], code, body)
        if message_part:
            self.assertIn(message_part, body["error"]["message"])

    def test_push_pkcs12_stores_the_key_and_mails_the_user(self):
        with workdir() as d, scratch_database() as (url, name):
            ca = Pki(d)
            p12 = ca.p12("alice@contoso.test", "alice")
            with env_with_vault(d, url, name) as env:
                self.assertEqual(env.call("POST", "/admin/v1/trust-anchors",
                                          body=open(ca.root, "rb").read())[0], 200)
                st, _, u = env.call("POST", "/admin/v1/users", body={
                    "address": "alice@contoso.test", "password": PW})
                self.assertEqual(st, 201, u)
                st, _, body = env.call("POST", "/admin/v1/users/alice@contoso.test/certificates",
                                       body={"pkcs12": b64(p12), "password": P12_PASSWORD})
                self.assertEqual(st, 201, body)
                self.assertEqual(len(body["value"]), 1)
                c = body["value"][0]
                self.assertEqual((c["usage"], c["source"], c["hasPrivateKey"]),
                                 ("both", "pkcs12", True), c)
                self.assertEqual(body["warnings"], [])
                fp = subprocess.run(["openssl", "x509", "-in", os.path.join(d, "alice.pem"),
                                     "-noout", "-fingerprint", "-sha1"], capture_output=True,
                                    text=True, check=True).stdout.split("=")[1].strip()
                self.assertEqual(c["thumbprint"], fp.replace(":", ""))
                self.assertEqual(env.sql("SELECT wrapped_key IS NOT NULL FROM user_certificates"),
                                 "t")
                self.assertEqual(env.sql("SELECT actor FROM audit_log WHERE action = "
                                         "'user_certificate.import'"), "admin:ops")
                # the listing shows it; the password never reaches the log
                st, _, listed = env.call("GET", f"/admin/v1/users/{u['id']}/certificates")
                self.assertEqual([x["id"] for x in listed["value"]], [c["id"]])
                # the notification lands in alice's inbox, from the postmaster
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE "
                                         "mailbox = 'alice@contoso.test'") == "1",
                         what="notification delivered")
                mail = env.sql("SELECT convert_from(body, 'UTF8') FROM mailbox_messages")
                self.assertIn("From: Postmaster <postmaster@contoso.test>", mail)
                self.assertIn("Subject: S/MIME certificate installed for your mailbox", mail)
                self.assertIn(c["thumbprint"], mail)
                self.assertIn("Valid until:        " + c["notAfter"], mail)
                self.assertIn("reach your devices", mail)
                token = sync_token(env, "alice@contoso.test", PW)
                st, delta = sync_call(env, "GET", "/v1.0/me/mailFolders/inbox/messages/delta",
                                      token=token)
                self.assertEqual(st, 200, delta)
                self.assertEqual([m.get("subject") for m in delta["value"]],
                                 ["S/MIME certificate installed for your mailbox"])
                log = env.daemon.output()
                self.assertNotIn(P12_PASSWORD, log)
                self.assertIn("event=user_certificate_pushed", log)
                # the same file again: conflict; notify false sends nothing more
                self.assertError(env.call("POST", "/admin/v1/users/alice@contoso.test/certificates",
                                          body={"pkcs12": b64(p12), "password": P12_PASSWORD}),
                                 409, "conflict")
                p12b = ca.p12("alice@contoso.test", "alice2")
                st, _, body = env.call("POST", f"/admin/v1/users/{u['id']}/certificates", body={
                    "pkcs12": b64(p12b), "password": P12_PASSWORD, "notify": False})
                self.assertEqual(st, 201, body)
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "1")
                # delete
                cid = body["value"][0]["id"]
                self.assertEqual(env.call("DELETE",
                                          f"/admin/v1/users/alice@contoso.test/certificates/{cid}")[0],
                                 204)
                self.assertError(env.call("DELETE",
                                          f"/admin/v1/users/alice@contoso.test/certificates/{cid}"),
                                 404, "not_found")
                self.assertError(env.call("DELETE",
                                          "/admin/v1/users/alice@contoso.test/certificates/x"),
                                 400, "validation_failed", "certId")
                self.assertError(env.call("DELETE",
                                          f"/admin/v1/users/ghost@contoso.test/certificates/{c['id']}"),
                                 404, "not_found")
                self.assertEqual(env.sql("SELECT count(*) FROM user_certificates"), "1")
                self.assertEqual(env.sql("SELECT count(*) FROM audit_log WHERE action = "
                                         "'user_certificate.delete'"), "1")

    def test_push_refusals_have_distinct_codes(self):
        with workdir() as d, scratch_database() as (url, name):
            ca = Pki(d)
            other = Pki(d, "other")
            good = ca.p12("alice@contoso.test", "alice")
            bob = ca.p12("bob@contoso.test", "bob")
            foreign = other.p12("alice@contoso.test", "foreign")
            legacy = os.path.join(d, "legacy.p12")
            subprocess.run(["openssl", "pkcs12", "-export", "-legacy", "-in",
                            os.path.join(d, "alice.pem"), "-inkey", os.path.join(d, "alice.key"),
                            "-passout", "pass:" + P12_PASSWORD, "-out", legacy],
                           check=True, capture_output=True)
            with open(good, "rb") as f:
                data = bytearray(f.read())
            data[-20] ^= 0x01  # inside MacData (digest or salt): the MAC fails, the bags decrypt
            tampered = os.path.join(d, "tampered.p12")
            with open(tampered, "wb") as f:
                f.write(bytes(data))
            # admin.push_notification off: a push mails only when the request asks for it
            with env_with_vault(d, url, name, "  push_notification: false\n") as env:
                env.call("POST", "/admin/v1/trust-anchors", body=open(ca.root, "rb").read())
                self.assertEqual(env.call("POST", "/admin/v1/users", body={
                    "address": "alice@contoso.test", "proxyAddresses": ["a@contoso.test"]})[0], 201)
                path = "/admin/v1/users/alice@contoso.test/certificates"
                self.assertError(env.call("POST", path, body={"pkcs12": b64(good),
                                                             "password": "wrong"}),
                                 400, "wrong_password")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(tampered),
                                                             "password": P12_PASSWORD}),
                                 400, "mac_mismatch")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(legacy),
                                                             "password": P12_PASSWORD}),
                                 400, "unsupported_algorithm")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(bob),
                                                             "password": P12_PASSWORD}),
                                 400, "address_mismatch", "bob@contoso.test")
                st, _, err = env.call("POST", path, body={"pkcs12": b64(foreign),
                                                          "password": P12_PASSWORD})
                self.assertEqual((st, err["error"]["code"]), (400, "untrusted"), err)
                self.assertRegex(err["error"]["message"], "untrusted_root|chain_incomplete")
                self.assertEqual(env.sql("SELECT count(*) FROM user_certificates"), "0")
                # force stores the untrusted one, recorded, with the codes as a warning
                st, _, body = env.call("POST", path, body={"pkcs12": b64(foreign),
                                                           "password": P12_PASSWORD,
                                                           "force": True})
                self.assertEqual(st, 201, body)
                self.assertEqual(len(body["warnings"]), 1)
                self.assertTrue(body["warnings"][0].startswith("forced "), body)
                self.assertRegex(body["warnings"][0], "untrusted_root|chain_incomplete")
                self.assertEqual(env.sql("SELECT forced FROM user_certificates"), "t")
                self.assertEqual(env.sql("SELECT count(*) FROM audit_log WHERE action = "
                                         "'user_certificate.import_forced'"), "1")
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")
                st, _, body = env.call("POST", path, body={"pkcs12": b64(good),
                                                           "password": P12_PASSWORD,
                                                           "notify": True})
                self.assertEqual(st, 201, body)
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "1")
                # request shape
                self.assertError(env.call("POST", path, body={"password": "x"}), 400,
                                 "validation_failed", "pkcs12")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(good)}), 400,
                                 "validation_failed", "password: required")
                self.assertError(env.call("POST", path, body={"pkcs12": "@@not base64@@",
                                                             "password": "x"}),
                                 400, "validation_failed", "pkcs12: not valid base64")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(good), "password": "x",
                                                             "certificate": "y"}),
                                 400, "validation_failed")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(good), "password": "x",
                                                             "force": "yes"}),
                                 400, "validation_failed", "force")
                self.assertError(env.call("POST", path, body={"pkcs12": b64(good), "password": "x",
                                                             "extra": 1}),
                                 400, "validation_failed", "extra: unknown field")
                self.assertError(env.call("POST", "/admin/v1/users/ghost@contoso.test/certificates",
                                          body={"pkcs12": b64(good), "password": P12_PASSWORD}),
                                 404, "not_found")
                self.assertError(env.call("POST", path, body=b"{", headers={
                    "Content-Type": "application/json"}), 400, "invalid_json")

    def test_push_a_certificate_alone_pem_or_der(self):
        with workdir() as d, scratch_database() as (url, name):
            ca = Pki(d)
            pem = ca.cert("alice@contoso.test", "alice-pub")
            pem2 = ca.cert("a@contoso.test", "alice-proxy", "--usage", "encrypt")
            der = subprocess.run(["openssl", "x509", "-in", pem2, "-outform", "DER"],
                                 check=True, capture_output=True).stdout
            with env_with_vault(d, url, name) as env:
                env.call("POST", "/admin/v1/trust-anchors", body=open(ca.root, "rb").read())
                env.call("POST", "/admin/v1/users", body={"address": "alice@contoso.test",
                                                          "proxyAddresses": ["a@contoso.test"]})
                path = "/admin/v1/users/alice@contoso.test/certificates"
                st, _, body = env.call("POST", path, body={"certificate": open(pem).read()})
                self.assertEqual(st, 201, body)
                c = body["value"][0]
                self.assertEqual((c["source"], c["hasPrivateKey"], c["usage"]),
                                 ("import", False, "both"))
                st, _, body = env.call("POST", path, body={
                    "certificate": base64.b64encode(der).decode()})
                self.assertEqual(st, 201, body)
                self.assertEqual(body["value"][0]["usage"], "encrypt")
                # no notification for a certificate without key
                self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "0")
                self.assertError(env.call("POST", path, body={"certificate": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}),
                                 400, "malformed_certificate")
                self.assertError(env.call("POST", path, body={"certificate": open(pem).read(),
                                                             "password": "x"}),
                                 400, "validation_failed", "password")
                self.assertEqual(env.sql("SELECT count(*) FROM user_certificates WHERE "
                                         "source = 'import'"), "2")

    def test_pkcs12_push_without_a_key_vault_is_refused(self):
        with workdir() as d, scratch_database() as (url, name):
            ca = Pki(d)
            p12 = ca.p12("alice@contoso.test", "alice")
            with AdminEnv(d, url, name, tls=False, http_extra="trust:\n  revocation: off\n") as env:
                env.call("POST", "/admin/v1/users", body={"address": "alice@contoso.test"})
                self.assertError(env.call("POST", "/admin/v1/users/alice@contoso.test/certificates",
                                          body={"pkcs12": b64(p12), "password": P12_PASSWORD}),
                                 503, "kek_missing")

    def test_sync_tokens_listed_and_revoked_one_all_and_by_cli(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                self.assertEqual(env.call("POST", "/admin/v1/users", body={
                    "address": "alice@contoso.test", "password": PW})[0], 201)
                t1 = sync_token(env, "alice@contoso.test", PW)
                t2 = sync_token(env, "alice@contoso.test", PW)
                self.assertEqual(sync_call(env, "GET", "/v1.0/me/settings", token=t1)[0], 200)
                st, _, body = env.call("GET", "/admin/v1/users/alice@contoso.test/sync-tokens")
                self.assertEqual(st, 200, body)
                self.assertEqual(len(body["value"]), 2)
                first = body["value"][0]
                self.assertEqual(set(first), {"id", "createdAt", "expiresAt", "lastUsedAt"})
                self.assertIsNotNone(first["expiresAt"])
                self.assertIsNotNone(first["lastUsedAt"])  # t1 was used
                self.assertNotIn(t1, str(body))
                st, _, p1 = env.call("GET", "/admin/v1/users/alice@contoso.test/sync-tokens?top=1")
                self.assertEqual([t["id"] for t in p1["value"]], [first["id"]])
                self.assertEqual(p1["nextLink"],
                                 "/admin/v1/users/alice@contoso.test/sync-tokens?top=1&skip=1")
                self.assertError(env.call("GET", "/admin/v1/users/alice@contoso.test/sync-tokens"
                                                 "?skip=-1"), 400, "validation_failed", "skip")
                # revoke one: it fails at once, the other still works
                st, _, _ = env.call("DELETE",
                                    f"/admin/v1/users/alice@contoso.test/sync-tokens/{first['id']}")
                self.assertEqual(st, 204)
                self.assertEqual(sync_call(env, "GET", "/v1.0/me/settings", token=t1)[0], 401)
                self.assertEqual(sync_call(env, "GET", "/v1.0/me/settings", token=t2)[0], 200)
                self.assertError(env.call(
                    "DELETE", f"/admin/v1/users/alice@contoso.test/sync-tokens/{first['id']}"),
                    404, "not_found")
                self.assertError(env.call(
                    "DELETE", "/admin/v1/users/alice@contoso.test/sync-tokens/abc"),
                    400, "validation_failed", "tokenId")
                self.assertError(env.call("GET", "/admin/v1/users/ghost@contoso.test/sync-tokens"),
                                 404, "not_found")
                # revoke all
                st, _, body = env.call("DELETE", "/admin/v1/users/alice@contoso.test/sync-tokens")
                self.assertEqual((st, body), (200, {"revoked": 1}))
                self.assertEqual(sync_call(env, "GET", "/v1.0/me/settings", token=t2)[0], 401)
                st, _, body = env.call("GET", "/admin/v1/users/alice@contoso.test/sync-tokens")
                self.assertEqual(body["value"], [])
                self.assertError(env.call("DELETE", "/admin/v1/users/ghost@contoso.test/sync-tokens"),
                                 404, "not_found")
                # the CLI
                t3 = sync_token(env, "alice@contoso.test", PW)
                r = run("admin", "token", "revoke-sync", "Alice@Contoso.test", "-c", env.cfg)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("revoked 1 sync token(s) of alice@contoso.test", r.stdout)
                self.assertEqual(sync_call(env, "GET", "/v1.0/me/settings", token=t3)[0], 401)
                r = run("admin", "token", "revoke-sync", "ghost@contoso.test", "-c", env.cfg)
                self.assertEqual(r.returncode, 1)
                self.assertIn("no user", r.stderr)
                r = run("admin", "token", "revoke-sync", "not-an-address", "-c", env.cfg)
                self.assertEqual(r.returncode, 2)
                self.assertIn("event=sync_tokens_revoked", env.daemon.output())


if __name__ == "__main__":
    unittest.main()
