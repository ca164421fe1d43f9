"""The sync API's certificate routes through the real daemon: PKCS#12 upload (POST
/v1.0/me/certificates) with the directory import's rules and distinct errors (wrong password,
altered file, RC2-40, address mismatch, unknown CA, duplicate), removal, manual delivery of a
PKCS#12 mailed to oneself (installCertificate), installing a sender's certificate from a signed
message (trusted CA, unknown CA with trust: true only when the administrator allows it, expired,
unsigned), device enrolment with PKCS#12 delivery (opened by openssl: PBES2/AES-256), and
resolveRecipients (users, external addresses, installed certificates, groups expanded)."""
import base64
import os
import re
import unittest

from gateway import wait_for
from sync_world import (P12_PASSWORD, SyncWorld, openssl, p12_b64, pki, signed_message)


def tampered_mac(path, out):
    """A copy of the PKCS#12 at `path` whose MAC digest has one byte flipped."""
    data = bytearray(open(path, "rb").read())
    listing = openssl("asn1parse", "-inform", "DER", "-in", path).stdout.decode()
    octets = [(int(m.group(1)), int(m.group(2)))
              for m in re.finditer(r"^\s*(\d+):d=\d+\s+hl=(\d+)\s+l=\s*\d+\s+prim:\s+OCTET STRING",
                                   listing, re.M)]
    off, hl = octets[-2]  # MacData: digest, then salt
    data[off + hl] ^= 0xFF
    with open(out, "wb") as f:
        f.write(bytes(data))
    return out


class SyncCertificatesTest(unittest.TestCase):
    def test_pkcs12_upload_list_delete_and_each_import_error(self):
        w = SyncWorld(self, keys=())
        alice = w.token("alice@contoso.test")
        bob = w.token("bob@contoso.test")
        p12 = w.people["alice"]["p12"]
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(p12),
                                                          "password": "wrong"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "wrong_password"), b)
        altered = tampered_mac(p12, os.path.join(w.d, "altered.p12"))
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(altered),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "mac_mismatch"), b)
        legacy = os.path.join(w.d, "legacy.p12")
        r = openssl("pkcs12", "-export", "-legacy", "-in", w.people["alice"]["cert"], "-inkey",
                    w.people["alice"]["key"], "-passout", "pass:" + P12_PASSWORD, "-out", legacy)
        self.assertEqual(r.returncode, 0, r.stderr)
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(legacy),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "unsupported_algorithm"), b)
        self.assertIn("RC2", b["error"]["message"])
        self.assertIn("AES", b["error"]["message"])
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(w.people["bob"]["p12"]),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "address_mismatch"), b)
        rogue = os.path.join(w.d, "rogue")
        pki("init", "--dir", rogue, "--name", "Rogue Root")
        stranger = w.issue("alice@contoso.test", "alice-rogue", rogue)
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(stranger["p12"]),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (422, "untrustedCertificate"), b)
        for bad in ({"pkcs12": "!!!"}, {"password": "x"}, {"pkcs12": "AAAA", "colour": 1}):
            st, b = w.call("POST", "/v1.0/me/certificates", bad, token=alice)
            self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"), bad)
        self.assertEqual(w.sql("SELECT count(*) FROM user_certificates"), "0")
        # the good file
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(p12),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual(st, 201, b)
        [cert] = b["value"]
        self.assertEqual((cert["kind"], cert["usage"], cert["hasPrivateKey"], cert["status"],
                          cert["source"]), ("own", "both", True, "valid", "pkcs12"))
        thumb = cert["thumbprint"]
        self.assertEqual(w.sql("SELECT actor || ' ' || action FROM audit_log WHERE action LIKE "
                               "'user_certificate.import%'"),
                         "sync:alice@contoso.test user_certificate.import")
        st, b = w.call("POST", "/v1.0/me/certificates", {"pkcs12": p12_b64(p12),
                                                          "password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (409, "conflict"), b)
        st, b = w.call("GET", "/v1.0/me/certificates", token=alice)
        self.assertEqual([c["thumbprint"] for c in b["value"]], [thumb])
        log = w.daemon.output()
        self.assertNotIn(P12_PASSWORD, log)
        self.assertNotIn(p12_b64(p12)[:40], log)
        # bob neither sees nor removes it
        self.assertEqual(w.call("GET", "/v1.0/me/certificates", token=bob)[1], {"value": []})
        st, b = w.call("DELETE", f"/v1.0/me/certificates/{thumb}", token=bob)
        self.assertEqual((st, b["error"]["code"]), (404, "not_found"))
        self.assertEqual(w.call("DELETE", f"/v1.0/me/certificates/{thumb.lower()}",
                                token=alice)[0], 204)
        self.assertEqual(w.call("GET", "/v1.0/me/certificates", token=alice)[1], {"value": []})
        self.assertEqual(w.call("DELETE", f"/v1.0/me/certificates/{thumb}", token=alice)[0], 404)

    def test_install_certificate_from_a_pkcs12_mailed_to_oneself(self):
        w = SyncWorld(self, keys=())
        alice = w.token("alice@contoso.test")
        bob = w.token("bob@contoso.test")

        def mail_to_self(subject, name, ctype, data, token=alice, frm="alice@contoso.test"):
            msg = {"message": {"subject": subject, "body": {"contentType": "text",
                                                             "content": "my certificate"},
                               "toRecipients": [{"emailAddress": {"address": frm}}],
                               "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment",
                                                "name": name, "contentType": ctype,
                                                "contentBytes": base64.b64encode(data).decode()}]}}
            st, b = w.call("POST", "/v1.0/me/sendMail", msg, token=token)
            self.assertEqual(st, 202, b)
            m = w.wait_subject(token, subject)
            st, atts = w.call("GET", f"/v1.0/me/messages/{m['id']}/attachments", token=token)
            return m["id"], atts["value"][0]["id"]

        raw = open(w.people["alice"]["p12"], "rb").read()
        mid, aid = mail_to_self("my p12", "alice.pfx", "application/octet-stream", raw)
        path = f"/v1.0/me/messages/{mid}/attachments/{aid}/installCertificate"
        st, b = w.call("POST", path, {"password": "wrong"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "wrong_password"), b)
        st, b = w.call("POST", path, {"password": P12_PASSWORD}, token=bob)
        self.assertEqual((st, b["error"]["code"]), (404, "not_found"), b)
        st, b = w.call("POST", path, {"password": P12_PASSWORD}, token=alice)
        self.assertEqual(st, 201, b)
        self.assertEqual([c["kind"] for c in b["value"]], ["own"])
        self.assertEqual(w.sql("SELECT count(*) FROM user_certificates"), "1")
        # not a PKCS#12
        mid2, aid2 = mail_to_self("notes", "notes.txt", "text/plain", b"just text")
        st, b = w.call("POST", f"/v1.0/me/messages/{mid2}/attachments/{aid2}/installCertificate",
                       {"password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "notPkcs12"), b)
        # a PKCS#12 someone else sent: not installed
        bob_copy = {"message": {"subject": "from bob", "toRecipients": [
            {"emailAddress": {"address": "alice@contoso.test"}}],
            "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": "a.p12",
                             "contentType": "application/x-pkcs12",
                             "contentBytes": base64.b64encode(raw).decode()}]}}
        self.assertEqual(w.call("POST", "/v1.0/me/sendMail", bob_copy, token=bob)[0], 202)
        m = w.wait_subject(alice, "from bob")
        st, atts = w.call("GET", f"/v1.0/me/messages/{m['id']}/attachments", token=alice)
        st, b = w.call("POST", f"/v1.0/me/messages/{m['id']}/attachments/"
                               f"{atts['value'][0]['id']}/installCertificate",
                       {"password": P12_PASSWORD}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "notOwnMessage"), b)
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/attachments/zz/installCertificate",
                       {"password": P12_PASSWORD}, token=alice)
        self.assertEqual(st, 404, b)

    def test_harvesting_follows_directory_harvest_certificates(self):
        # directory.harvest_certificates: false — a valid signature is verified and reported, but
        # the signer's certificate is not added to the recipient's installed certificates
        w = SyncWorld(self, keys=("alice",), extra="directory: {harvest_certificates: false}\n")
        alice = w.token("alice@contoso.test")
        carol = pki("issue", "--dir", w.ca, "--email", "carol@example.org", "--name", "Carol")
        w.inject(signed_message(carol, "carol@example.org", "alice@contoso.test", "signed"),
                 "carol@example.org", "alice@contoso.test")
        box = w.inbox(alice)
        st, m = w.call("GET", f"/v1.0/me/messages/{box['signed']['id']}", token=alice)
        self.assertEqual(st, 200, m)
        self.assertEqual(m["smime"]["signatureStatus"], "valid", m["smime"])
        self.assertEqual(w.sql("SELECT count(*) FROM installed_certificates"), "0")

    def test_install_sender_certificate_trusted_unknown_ca_expired_and_unsigned(self):
        w = SyncWorld(self, keys=("alice",))
        alice = w.token("alice@contoso.test")
        carol = pki("issue", "--dir", w.ca, "--email", "carol@example.org", "--name", "Carol")
        dave = pki("issue", "--dir", w.ca, "--email", "dave@example.org", "--name", "Dave",
                   "--not-before", "-40d", "--days", "10")
        rogue = os.path.join(w.d, "rogue")
        pki("init", "--dir", rogue, "--name", "Rogue Root")
        erin = pki("issue", "--dir", rogue, "--email", "erin@example.org", "--name", "Erin")
        for who, person in (("carol", carol), ("dave", dave), ("erin", erin)):
            w.inject(signed_message(person, f"{who}@example.org", "alice@contoso.test",
                                    f"signed by {who}"), f"{who}@example.org",
                     "alice@contoso.test")
        w.inject(b"From: zed@example.org\r\nTo: alice@contoso.test\r\nSubject: plain\r\n\r\nhi\r\n",
                 "zed@example.org", "alice@contoso.test")
        box = w.inbox(alice)
        # inbound processing harvested carol's (the only valid signature); installing it again
        # says so, and after its removal it is installed from the message
        self.assertEqual(w.sql("SELECT address || ' ' || source FROM installed_certificates"),
                         "carol@example.org harvested")

        def install(subject, body=None, token=alice):
            return w.call("POST", f"/v1.0/me/messages/{box[subject]['id']}/"
                                  "installSenderCertificate", body or {}, token=token)

        st, b = install("signed by carol")
        self.assertEqual((st, b["source"], b["alreadyInstalled"]), (201, "harvested", True), b)
        self.assertEqual(w.call("DELETE", f"/v1.0/me/certificates/{b['thumbprint']}",
                                token=alice)[0], 204)
        st, b = install("signed by carol")
        self.assertEqual(st, 201, b)
        self.assertEqual((b["kind"], b["address"], b["source"], b["alreadyInstalled"]),
                         ("contact", "carol@example.org", "sync", False))
        st, b = install("signed by dave", {"trust": True})
        self.assertEqual((st, b["error"]["code"]), (422, "invalidCertificate"), b)
        self.assertIn("expired", b["error"]["message"])
        st, b = install("signed by erin")
        self.assertEqual((st, b["error"]["code"]), (422, "untrustedCertificate"), b)
        st, b = install("signed by erin", {"trust": True})
        self.assertEqual((st, b["error"]["code"]), (403, "userTrustNotAllowed"), b)
        st, b = install("plain")
        self.assertEqual((st, b["error"]["code"]), (400, "notSigned"), b)
        w.enable_smime(alice)
        to_erin = {"message": {"subject": "for erin", "toRecipients": [
            {"emailAddress": {"address": "erin@example.org"}}]}, "encrypt": True}
        st, b = w.call("POST", "/v1.0/me/sendMail", to_erin, token=alice)
        self.assertEqual((st, b["error"]["code"]), (422, "policyRefused"), b)
        st, b = install("signed by carol", {"trust": "yes"})
        self.assertEqual(st, 400, b)
        bob = w.token("bob@contoso.test")
        self.assertEqual(install("signed by carol", token=bob)[0], 404)
        st, b = w.call("GET", "/v1.0/me/certificates", token=alice)
        self.assertEqual(sorted((c["kind"], c.get("address", "")) for c in b["value"]),
                         [("contact", "carol@example.org"), ("own", "")])
        # the administrator allows user-trusted certificates
        w.start(env={"SMIMEGW_SYNC_ALLOW_USER_TRUSTED_CERTIFICATES": "true"})
        alice = w.token("alice@contoso.test")
        st, b = install("signed by erin")
        self.assertEqual((st, b["error"]["code"]), (422, "untrustedCertificate"), b)
        st, b = install("signed by erin", {"trust": True})
        self.assertEqual((st, b["source"]), (201, "user_trusted"), b)
        self.assertEqual(w.sql("SELECT source FROM installed_certificates WHERE address = "
                               "'erin@example.org'"), "user_trusted")
        # ... and the gateway encrypts to it for alice (her recipient resolution counts it)
        st, b = w.call("GET", "/v1.0/me/resolveRecipients?to=erin@example.org", token=alice)
        c = b["value"][0]["certificate"]
        self.assertEqual((c["valid"], c["source"]), (True, "installed:user_trusted"), b)
        st, b = w.call("POST", "/v1.0/me/sendMail", to_erin, token=alice)
        self.assertEqual(st, 202, b)
        bob = w.token("bob@contoso.test")
        st, b = w.call("GET", "/v1.0/me/resolveRecipients?to=erin@example.org", token=bob)
        self.assertEqual(b["value"][0]["certificate"]["available"], False)  # alice's contact
        st, b = install("signed by dave", {"trust": True})
        self.assertEqual((st, b["error"]["code"]), (422, "invalidCertificate"), b)
        # a contact certificate is removed like an own one
        thumb = w.sql("SELECT thumbprint FROM installed_certificates WHERE address = "
                      "'carol@example.org'")
        self.assertEqual(w.call("DELETE", f"/v1.0/me/certificates/{thumb}", token=alice)[0], 204)
        self.assertEqual(w.sql("SELECT count(*) FROM installed_certificates"), "1")

    def test_devices_enrol_deliver_pkcs12_and_remove(self):
        w = SyncWorld(self, keys=())
        alice = w.token("alice@contoso.test")
        bob = w.token("bob@contoso.test")
        st, dev = w.call("POST", "/v1.0/me/devices", {"deviceId": "iphone-1", "name": "Phone"},
                         token=alice)
        self.assertEqual(st, 201, dev)
        self.assertEqual((dev["deviceId"], dev["name"], dev["deliveries"]), ("iphone-1", "Phone", 0))
        self.assertNotIn("certificates", dev)
        st, b = w.call("POST", "/v1.0/me/devices", {"deviceId": "iphone-1", "name": "Again"},
                       token=alice)
        self.assertEqual((st, b["error"]["code"]), (409, "conflict"))
        for bad in ({"name": "x"}, {"deviceId": "d", "name": ""}, {"deviceId": "d", "name": "n",
                                                                   "colour": 1},
                    {"deviceId": "d\n", "name": "n"}):
            st, b = w.call("POST", "/v1.0/me/devices", bad, token=alice)
            self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"), bad)
        st, b = w.call("POST", "/v1.0/me/devices", {"deviceId": "d2", "name": "n",
                                                    "password": "short"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "weakPassword"))
        path = f"/v1.0/me/devices/{dev['id']}/certificates"
        st, b = w.call("POST", path, {"password": "short"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "weakPassword"))
        st, b = w.call("POST", path, {"password": "Device-Passw0rd"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "no_keys"), b)
        # with keys: the PKCS#12 opens with openssl under the device password, PBES2 AES-256
        w.cli("users", "import-pkcs12", "alice@contoso.test", w.people["alice"]["p12"],
              "--password-file", w.p12pw)
        st, b = w.call("POST", path, {"password": "Device-Passw0rd"}, token=bob)
        self.assertEqual((st, b["error"]["code"]), (404, "not_found"))
        st, b = w.call("POST", path, {"password": "Device-Passw0rd"}, token=alice)
        self.assertEqual(st, 200, b)
        self.assertEqual(b["contentType"], "application/x-pkcs12")
        pfx = os.path.join(w.d, "delivered.p12")
        with open(pfx, "wb") as f:
            f.write(base64.b64decode(b["pkcs12"]))
        info = openssl("pkcs12", "-info", "-in", pfx, "-passin", "pass:Device-Passw0rd",
                       "-nodes")
        self.assertEqual(info.returncode, 0, info.stderr)
        text = info.stdout.decode() + info.stderr.decode()
        self.assertIn("PBES2", text)
        self.assertIn("AES-256-CBC", text)
        self.assertIn("alice@contoso.test", text)
        self.assertIn("PRIVATE KEY", text)
        self.assertNotEqual(openssl("pkcs12", "-in", pfx, "-passin", "pass:wrong",
                                    "-nodes").returncode, 0)
        self.assertEqual(w.sql("SELECT actor FROM audit_log WHERE action = "
                               "'user_certificate.export'"),
                         f"sync:alice@contoso.test/device:{dev['id']}")
        self.assertNotIn("Device-Passw0rd", w.daemon.output())
        st, listed = w.call("GET", "/v1.0/me/devices", token=alice)
        self.assertEqual([(d["id"], d["deliveries"]) for d in listed["value"]], [(dev["id"], 1)])
        self.assertIsNotNone(listed["value"][0]["lastDeliveryDateTime"])
        # enrolment with a password delivers at once
        st, d2 = w.call("POST", "/v1.0/me/devices", {"deviceId": "ipad", "name": "Tablet",
                                                     "password": "Device-Passw0rd"}, token=alice)
        self.assertEqual(st, 201, d2)
        self.assertEqual(len(d2["certificates"]["thumbprints"]), 1)
        # bob has none of alice's devices
        self.assertEqual(w.call("GET", "/v1.0/me/devices", token=bob)[1], {"value": []})
        self.assertEqual(w.call("DELETE", f"/v1.0/me/devices/{dev['id']}", token=bob)[0], 404)
        self.assertEqual(w.call("DELETE", f"/v1.0/me/devices/{dev['id']}", token=alice)[0], 204)
        self.assertEqual(w.call("DELETE", f"/v1.0/me/devices/{dev['id']}", token=alice)[0], 404)
        self.assertEqual(w.call("DELETE", "/v1.0/me/devices/abc", token=alice)[0], 404)
        self.assertEqual(w.sql("SELECT count(*) FROM sync_devices"), "1")

    def test_resolve_recipients_users_external_installed_and_groups(self):
        w = SyncWorld(self, keys=("alice",))
        alice = w.token("alice@contoso.test")
        w.cli("groups", "add", "team@contoso.test", "--name", "Team")
        w.cli("groups", "members", "team@contoso.test", "--add", "alice@contoso.test", "--add",
              "bob@contoso.test", "--add", "partner@example.org")
        # an expired certificate installed for dave
        dave = pki("issue", "--dir", w.ca, "--email", "dave@example.org", "--name", "Dave",
                   "--not-before", "-40d", "--days", "10")
        der = openssl("x509", "-in", dave["cert"], "-outform", "DER").stdout
        w.sql("INSERT INTO installed_certificates (owner_user_id, address, der, thumbprint, "
              "not_after, source) SELECT id, 'dave@example.org', decode('" + der.hex() +
              "', 'hex'), '" + "AB" * 20 + "', now() - interval '30 days', 'manual' FROM users "
              "WHERE address = 'alice@contoso.test'")
        st, b = w.call("GET", "/v1.0/me/resolveRecipients?to=a.smith%40contoso.test&"
                              "to=bob@contoso.test,nobody@example.org;dave@example.org&"
                              "to=team@contoso.test", token=alice)
        self.assertEqual(st, 200, b)
        r = {e["address"]: e for e in b["value"]}
        self.assertEqual(list(r), ["a.smith@contoso.test", "bob@contoso.test",
                                   "nobody@example.org", "dave@example.org", "team@contoso.test"])
        a = r["a.smith@contoso.test"]
        self.assertEqual((a["type"], a["certificate"]["available"], a["certificate"]["valid"],
                          a["certificate"]["source"], a["reason"]), ("user", True, True, "gal", None))
        self.assertRegex(a["certificate"]["thumbprint"], "^[0-9A-F]{40}$")
        self.assertTrue(a["certificate"]["notAfter"].endswith("Z"))
        self.assertEqual((r["bob@contoso.test"]["type"], r["bob@contoso.test"]["certificate"]
                          ["available"], r["bob@contoso.test"]["reason"]),
                         ("user", False, "no_certificate"))
        self.assertEqual((r["nobody@example.org"]["type"], r["nobody@example.org"]["reason"]),
                         ("external", "no_certificate"))
        d = r["dave@example.org"]
        self.assertEqual((d["certificate"]["available"], d["certificate"]["valid"],
                          d["certificate"]["source"], d["reason"]),
                         (True, False, "installed", "all_invalid"))
        self.assertIn("expired", d["certificate"]["errors"])
        t = r["team@contoso.test"]
        self.assertEqual((t["type"], t["memberCount"], t["withCertificate"], t["reason"]),
                         ("group", 3, 1, None))
        self.assertEqual(sorted((m["address"], m["type"], m["certificate"]["valid"])
                                for m in t["members"]),
                         [("alice@contoso.test", "user", True), ("bob@contoso.test", "user", False),
                          ("partner@example.org", "external", False)])
        # bounds and validation
        many = "&".join(f"to=u{i}@example.org" for i in range(101))
        st, b = w.call("GET", "/v1.0/me/resolveRecipients?" + many, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, b = w.call("GET", "/v1.0/me/resolveRecipients", token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, b = w.call("GET", "/v1.0/me/resolveRecipients?to=not-an-address", token=alice)
        self.assertEqual((st, b["value"][0]["reason"]), (200, "bad_address"))


if __name__ == "__main__":
    unittest.main()
