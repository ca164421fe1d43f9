"""The Graph-style sync API (/v1.0 on sync.listen) through the real daemon: the OAuth password
grant (tokens stored hashed, expiring, revocable), delta sync over mail delivered by SMTP (swaks),
message reads with Graph fields, S/MIME status, label and rights, attachments, $value, settings
with the administrator's locks (S/MIME off until enabled), sendMail through the submission intake,
certificates, and an isolation sweep over every /v1.0 route of docs/openapi.yaml (401 without a
token, 404 for another user's message and device ids). Certificates, devices, answers and
resolveRecipients in depth: test_sync_certificates.py, test_sync_rights.py."""
import base64
import hashlib
import http.client
import json
import os
import time
import unittest
import urllib.parse

from gateway import Daemon, psql, run, scratch_database, swaks, wait_for, workdir, write_config

SPEC = os.path.join(os.environ.get("SMIMEGW_SOURCE_DIR", os.getcwd()), "docs", "openapi.yaml")
PW = {"alice@contoso.test": "Alice-Sync-Password-1", "bob@contoso.test": "Bob-Sync-Password-2"}
LABEL = "0e9b7c1a-1111-4a2b-9c3d-5e6f7a8b9c0d"


def sync_routes():
    """(method, path) of every /v1.0 operation in docs/openapi.yaml."""
    routes, path, in_paths = [], None, False
    with open(SPEC) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" "))
            if indent == 0:
                in_paths = line == "paths:"
                continue
            if not in_paths:
                continue
            key = line.strip().split(":")[0].strip("\"'")
            if indent == 2:
                path = key
            elif indent == 4 and key in ("get", "post", "put", "patch", "delete"):
                if path.startswith("/v1.0/"):
                    routes.append((key.upper(), path))
    return routes


class SyncEnv:
    """A migrated database with alice and bob (passwords set through the admin API), a KEK, and
    the daemon with its sync listener on loopback (plain HTTP)."""

    def __init__(self, d, url, db_name):
        self.d, self.db_name = d, db_name
        self.cfg, self.ports = write_config(
            d, url, "relay:\n  smarthost: \"127.0.0.1:1\"\n  tls: none\n"
            "queue:\n  poll_ms: 50\n  retry_schedule_s: [600]\n")
        assert run("migrate", "-c", self.cfg).returncode == 0
        r = run("keys", "init", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        r = run("admin", "token", "create", "ops", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        self.admin_token = r.stdout.strip()
        self.daemon = Daemon(self.cfg, self.ports)

    def __enter__(self):
        self.daemon.start()
        for address, pw in PW.items():
            st, _, body = self.call("POST", "/admin/v1/users", {"address": address, "password": pw},
                                    port=self.ports["admin"], token=self.admin_token)
            assert st == 201, body
        return self

    def __exit__(self, *exc):
        self.daemon.__exit__(*exc)

    def sql(self, q):
        return psql(q, db=self.db_name)

    def call(self, method, path, body=None, token=None, headers=None, port=None):
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        c = http.client.HTTPConnection("127.0.0.1", port or self.ports["sync"], timeout=15)
        try:
            c.request(method, path, body=body, headers=h)
            resp = c.getresponse()
            raw = resp.read()
            ctype = resp.getheader("Content-Type", "")
            data = json.loads(raw) if ctype.startswith("application/json") and raw else raw
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            c.close()

    def grant(self, username, password, grant_type="password"):
        form = urllib.parse.urlencode({"grant_type": grant_type, "username": username,
                                       "password": password, "client_id": "app"})
        return self.call("POST", "/v1.0/oauth2/token", form,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})

    def token(self, user):
        st, _, body = self.grant(user, PW[user])
        assert st == 200, body
        return body["access_token"]

    def deliver(self, to, subject, *extra):
        before = int(self.sql(f"SELECT count(*) FROM mailbox_messages WHERE mailbox = '{to}'"))
        code, out = swaks(self.ports["inbound"], "--from", "sender@example.org", "--to", to,
                          "--header", f"Subject: {subject}", *extra)
        assert code == 0, out
        wait_for(lambda: int(self.sql(
            f"SELECT count(*) FROM mailbox_messages WHERE mailbox = '{to}'")) == before + 1,
            what="local delivery")
        return self.sql(f"SELECT max(id) FROM mailbox_messages WHERE mailbox = '{to}'")


def message_id(row_id, env, token):
    """The opaque Graph id of mailbox row `row_id`, found through a full delta round."""
    link = "/v1.0/me/mailFolders/inbox/messages/delta"
    ids = []
    while link:
        st, _, body = env.call("GET", link, token=token, headers={"Prefer": "odata.maxpagesize=100"})
        assert st == 200, body
        ids += [m["id"] for m in body["value"] if "@removed" not in m]
        link = body.get("@odata.nextLink")
    rows = env.sql("SELECT id FROM mailbox_messages WHERE mailbox = 'alice@contoso.test' "
                   "AND removed_at IS NULL ORDER BY id").split()
    return dict(zip(rows, ids))[str(row_id)] if len(rows) == len(ids) else None


class SyncApiTest(unittest.TestCase):
    def env(self):
        d = self.enterContext(workdir())
        url, name = self.enterContext(scratch_database())
        return self.enterContext(SyncEnv(d, url, name))

    def test_token_grant_hashing_expiry_revocation_and_oauth_errors(self):
        env = self.env()
        st, h, body = env.grant("Alice@Contoso.test", PW["alice@contoso.test"])
        self.assertEqual(st, 200, body)
        self.assertEqual(body["token_type"], "Bearer")
        self.assertEqual(body["expires_in"], 3600)
        self.assertEqual(h.get("cache-control"), "no-store")
        tok = body["access_token"]
        # stored hashed, kind sync, for alice, expiring
        row = env.sql("SELECT t.kind || ' ' || u.address || ' ' || t.hash || ' ' || "
                      "(t.expires_at > now() + interval '59 minutes') FROM api_tokens t "
                      "JOIN users u ON u.id = t.user_id")
        self.assertEqual(row, "sync alice@contoso.test " + hashlib.sha256(tok.encode()).hexdigest()
                         + " true")
        self.assertEqual(env.sql(f"SELECT count(*) FROM api_tokens WHERE hash = '{tok}'"), "0")
        self.assertEqual(env.call("GET", "/v1.0/me/settings", token=tok)[0], 200)
        # wrong password and unknown user: the same answer
        st1, _, b1 = env.grant("alice@contoso.test", "wrong")
        st2, _, b2 = env.grant("nobody@contoso.test", "wrong")
        self.assertEqual((st1, st2), (400, 400))
        self.assertEqual(b1, b2)
        self.assertEqual(b1["error"], "invalid_grant")
        # malformed requests
        self.assertEqual(env.grant("alice@contoso.test", PW["alice@contoso.test"],
                                   "client_credentials")[2]["error"], "unsupported_grant_type")
        self.assertEqual(env.grant("alice@contoso.test", "")[2]["error"], "invalid_request")
        st, _, b = env.call("POST", "/v1.0/oauth2/token", {"grant_type": "password"})
        self.assertEqual((st, b["error"]), (400, "invalid_request"))
        # an admin token is no sync token, and a sync token is no admin token
        self.assertEqual(env.call("GET", "/v1.0/me/settings", token=env.admin_token)[0], 401)
        self.assertEqual(env.call("GET", "/admin/v1/users", token=tok,
                                  port=env.ports["admin"])[0], 401)
        # expiry
        tok2 = env.token("alice@contoso.test")
        env.sql("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE hash = '"
                + hashlib.sha256(tok2.encode()).hexdigest() + "'")
        self.assertEqual(env.call("GET", "/v1.0/me/settings", token=tok2)[0], 401)
        # a disabled user's token stops working
        tok3 = env.token("bob@contoso.test")
        env.sql("UPDATE users SET enabled = false WHERE address = 'bob@contoso.test'")
        self.assertEqual(env.call("GET", "/v1.0/me/settings", token=tok3)[0], 401)
        self.assertEqual(env.grant("bob@contoso.test", PW["bob@contoso.test"])[2]["error"],
                         "invalid_grant")
        # sign-out revokes
        self.assertEqual(env.call("DELETE", "/v1.0/oauth2/token", token=tok)[0], 204)
        self.assertEqual(env.call("GET", "/v1.0/me/settings", token=tok)[0], 401)
        self.assertEqual(env.sql("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"),
                         "1")

    def test_delta_pages_removed_entries_and_resync(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        rows = [env.deliver("alice@contoso.test", f"m{i}") for i in range(3)]
        base = "/v1.0/me/mailFolders/inbox/messages/delta"
        st, h, page1 = env.call("GET", base, token=tok, headers={"Prefer": "odata.maxpagesize=2"})
        self.assertEqual(st, 200, page1)
        self.assertEqual(h.get("preference-applied"), "odata.maxpagesize=2")
        self.assertEqual([m["subject"] for m in page1["value"]], ["m0", "m1"])
        self.assertIn("@odata.nextLink", page1)
        self.assertNotIn("@odata.deltaLink", page1)
        # absolute links as Graph gives them: the listener's scheme and the Host the client used
        origin = f"http://127.0.0.1:{env.ports['sync']}"
        self.assertTrue(page1["@odata.nextLink"].startswith(
            origin + "/v1.0/me/mailFolders/inbox/messages/delta?$skiptoken="), page1)
        self.assertEqual(page1["@odata.context"], origin + "/v1.0/$metadata#Collection(message)")
        m = page1["value"][0]
        self.assertEqual(m["from"]["emailAddress"]["address"], "sender@example.org")
        self.assertEqual(m["toRecipients"][0]["emailAddress"]["address"], "alice@contoso.test")
        self.assertTrue(m["receivedDateTime"].endswith("Z"))
        st, _, page2 = env.call("GET", page1["@odata.nextLink"], token=tok,
                                headers={"Prefer": "odata.maxpagesize=2"})
        self.assertEqual([m["subject"] for m in page2["value"]], ["m2"])
        delta = page2["@odata.deltaLink"]
        self.assertTrue(delta.startswith(origin + "/v1.0/me/mailFolders/inbox/messages/delta?"
                                                  "$deltatoken="), delta)
        # nothing new
        st, _, again = env.call("GET", delta, token=tok)
        self.assertEqual((st, again["value"]), (200, []))
        # a removal and a new message show in the next round
        env.sql(f"UPDATE mailbox_messages SET removed_at = now() WHERE id = {rows[1]}")
        env.deliver("alice@contoso.test", "m3")
        st, _, changes = env.call("GET", again["@odata.deltaLink"], token=tok)
        removed = [c for c in changes["value"] if "@removed" in c]
        self.assertEqual(removed, [{"id": page1["value"][1]["id"], "@removed": {"reason": "deleted"}}])
        self.assertEqual([c["subject"] for c in changes["value"] if "@removed" not in c], ["m3"])
        # sentitems is its own folder; unknown folders are 404
        st, _, sent = env.call("GET", "/v1.0/me/mailFolders/sentitems/messages/delta", token=tok)
        self.assertEqual((st, sent["value"]), (200, []))
        self.assertEqual(env.call("GET", "/v1.0/me/mailFolders/drafts/messages/delta",
                                  token=tok)[0], 404)
        # tampered, foreign and garbage tokens: 410 resyncRequired
        tampered = delta[:-3] + ("AAA" if not delta.endswith("AAA") else "BBB")
        bob = env.token("bob@contoso.test")
        for link, who in ((tampered, tok), (delta, bob), (base + "?$deltatoken=garbage", tok),
                          (base.replace("inbox", "sentitems") + "?" + delta.split("?")[1], tok)):
            st, _, b = env.call("GET", link, token=who)
            self.assertEqual((st, b["error"]["code"]), (410, "resyncRequired"), link)

    def test_message_fields_headers_value_attachments_label_rights_and_expiry(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        path = os.path.join(env.d, "report.txt")
        with open(path, "w") as f:
            f.write("attachment body\n")
        row = env.deliver("alice@contoso.test", "With attachment", "--body", "Hello Alice",
                          "--attach-type", "text/plain", "--attach-name", "report.txt",
                          "--attach", "@" + path, "--header", "X-Custom: yes")
        mid = message_id(row, env, tok)
        st, _, m = env.call("GET", f"/v1.0/me/messages/{mid}", token=tok)
        self.assertEqual(st, 200, m)
        for field in ("id", "subject", "from", "toRecipients", "ccRecipients", "receivedDateTime",
                      "sentDateTime", "hasAttachments", "body", "internetMessageId", "smime",
                      "sensitivityLabel", "rights"):
            self.assertIn(field, m)
        self.assertEqual(m["subject"], "With attachment")
        self.assertTrue(m["hasAttachments"])
        self.assertIn("Hello Alice", m["body"]["content"])
        self.assertNotIn("internetMessageHeaders", m)
        self.assertEqual(m["smime"]["signed"], False)
        self.assertIsNone(m["sensitivityLabel"])
        self.assertTrue(all(m["rights"].values()))
        st, _, m = env.call("GET", f"/v1.0/me/messages/{mid}?$select=subject,internetMessageHeaders",
                            token=tok)
        self.assertIn({"name": "X-Custom", "value": "yes"}, m["internetMessageHeaders"])
        st, h, raw = env.call("GET", f"/v1.0/me/messages/{mid}/$value", token=tok)
        self.assertEqual((st, h["content-type"]), (200, "message/rfc822"))
        self.assertIn(b"Subject: With attachment", raw)
        st, _, atts = env.call("GET", f"/v1.0/me/messages/{mid}/attachments", token=tok)
        self.assertEqual([a["name"] for a in atts["value"]], ["report.txt"])
        aid = atts["value"][0]["id"]
        st, _, a = env.call("GET", f"/v1.0/me/messages/{mid}/attachments/{aid}", token=tok)
        self.assertEqual(base64.b64decode(a["contentBytes"]), b"attachment body\n")
        st, h, data = env.call("GET", f"/v1.0/me/messages/{mid}/attachments/{aid}/$value", token=tok)
        self.assertEqual((st, data), (200, b"attachment body\n"))
        self.assertEqual(env.call("GET", f"/v1.0/me/messages/{mid}/attachments/zz", token=tok)[0],
                         404)
        self.assertEqual(env.call("GET", "/v1.0/me/messages/nonsense", token=tok)[0], 404)
        # S/MIME status, label and rights recorded by inbound processing
        env.sql("INSERT INTO labels (id, name, display_name, priority, protection, rights, "
                f"content_expiry_days) VALUES ('{LABEL}', 'Confidential', 'Confidential (view "
                "only)', 5, 'encrypt', '{view,reply}', 30)")
        smime = {"signed": True, "signatureStatus": "valid", "signer": "sender@example.org",
                 "certificate": {"subject": "CN=S", "issuer": "CN=CA", "serial": "01",
                                 "notAfter": "2030-01-01T00:00:00Z", "thumbprint": "AB"},
                 "errors": [], "encrypted": True}
        env.sql(f"UPDATE mailbox_messages SET smime = '{json.dumps(smime)}', label_id = '{LABEL}' "
                f"WHERE id = {row}")
        st, _, m = env.call("GET", f"/v1.0/me/messages/{mid}", token=tok)
        self.assertEqual(m["smime"], smime)
        self.assertEqual(m["sensitivityLabel"], {"id": LABEL, "name": "Confidential (view only)"})
        self.assertEqual(m["rights"], {"view": True, "edit": False, "print": False, "copy": False,
                                       "forward": False, "reply": True, "replyAll": False})
        # content expiry passed: 403 contentExpired on every read
        env.sql(f"UPDATE mailbox_messages SET received_at = now() - interval '31 days' "
                f"WHERE id = {row}")
        for suffix in ("", "/$value", "/attachments", f"/attachments/{aid}"):
            st, _, b = env.call("GET", f"/v1.0/me/messages/{mid}{suffix}", token=tok)
            self.assertEqual((st, b["error"]["code"]), (403, "contentExpired"), suffix)

    def test_settings_get_patch_and_administrator_locks(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        st, _, s = env.call("GET", "/v1.0/me/settings", token=tok)
        self.assertEqual((st, s["signAll"], s["encryptAll"]), (200, False, False))
        self.assertFalse(s["smimeEnabled"])  # off until the user enables it
        self.assertTrue(s["signAllChangeAllowed"])
        st, _, s = env.call("PATCH", "/v1.0/me/settings", {"signAll": True, "smimeEnabled": True},
                            token=tok)
        self.assertEqual((st, s["signAll"], s["smimeEnabled"]), (200, True, True))
        self.assertEqual(env.sql("SELECT sign_all FROM user_smime_settings"), "t")
        self.assertTrue(env.call("GET", "/v1.0/me/settings", token=tok)[2]["signAll"])
        env.sql("UPDATE smime_settings SET encrypt_all_user_change_allowed = false")
        st, _, b = env.call("PATCH", "/v1.0/me/settings", {"encryptAll": True}, token=tok)
        self.assertEqual((st, b["error"]["code"]), (403, "changeNotAllowed"))
        self.assertIn("encryptAll", b["error"]["message"])
        self.assertFalse(env.call("GET", "/v1.0/me/settings", token=tok)[2]["encryptAllChangeAllowed"])
        st, _, b = env.call("PATCH", "/v1.0/me/settings", {"colour": "red"}, token=tok)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.call("PATCH", "/v1.0/me/settings", {"signAll": [1]}, token=tok)
        self.assertEqual(st, 400)
        st, _, b = env.call("PATCH", "/v1.0/me/settings", "{not json", token=tok,
                            headers={"Content-Type": "application/json"})
        self.assertEqual((st, b["error"]["code"]), (400, "invalid_json"))
        # bob's settings are his own
        self.assertFalse(env.call("GET", "/v1.0/me/settings",
                                  token=env.token("bob@contoso.test"))[2]["signAll"])

    def test_send_mail_json_and_mime_and_refusals(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        msg = {"message": {"subject": "From the phone", "body": {"contentType": "Text",
                                                                 "content": "hello bob"},
                           "toRecipients": [{"emailAddress": {"address": "bob@contoso.test"}}]}}
        st, _, b = env.call("POST", "/v1.0/me/sendMail", msg, token=tok)
        self.assertEqual(st, 202, b)
        self.assertEqual(env.sql("SELECT source || ' ' || mail_from FROM queue_messages"),
                         "api alice@contoso.test")
        wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE "
                                 "mailbox = 'bob@contoso.test'") == "1", what="bob's copy")
        self.assertEqual(env.sql("SELECT count(*) FROM mailbox_messages WHERE mailbox = "
                                 "'alice@contoso.test' AND folder = 'sentitems'"), "1")
        bob = env.token("bob@contoso.test")
        st, _, d = env.call("GET", "/v1.0/me/mailFolders/inbox/messages/delta", token=bob)
        self.assertEqual([m["subject"] for m in d["value"]], ["From the phone"])
        self.assertEqual(d["value"][0]["from"]["emailAddress"]["address"], "alice@contoso.test")
        # base64 MIME as text/plain
        mime = ("From: alice@contoso.test\r\nTo: bob@contoso.test\r\nSubject: raw\r\n"
                "Message-ID: <raw-1@contoso.test>\r\n\r\nraw body\r\n")
        st, _, b = env.call("POST", "/v1.0/me/sendMail?saveToSentItems=false",
                            base64.b64encode(mime.encode()).decode(), token=tok,
                            headers={"Content-Type": "text/plain"})
        self.assertEqual(st, 202, b)
        wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE "
                                 "mailbox = 'bob@contoso.test'") == "2", what="bob's 2nd copy")
        self.assertEqual(env.sql("SELECT count(*) FROM mailbox_messages WHERE folder = "
                                 "'sentitems'"), "1")
        # refusals
        bad = {"message": {"subject": "x", "toRecipients": [
            {"emailAddress": {"address": "nobody@contoso.test"}},
            {"emailAddress": {"address": "bob@contoso.test"}}]}}
        st, _, b = env.call("POST", "/v1.0/me/sendMail", bad, token=tok)
        self.assertEqual((st, b["error"]["code"]), (422, "policyRefused"))
        self.assertEqual([r["address"] for r in b["error"]["recipients"]], ["nobody@contoso.test"])
        spoof = ("From: bob@contoso.test\r\nTo: bob@contoso.test\r\nSubject: s\r\n\r\nx\r\n")
        st, _, b = env.call("POST", "/v1.0/me/sendMail", base64.b64encode(spoof.encode()).decode(),
                            token=tok, headers={"Content-Type": "text/plain"})
        self.assertEqual((st, b["error"]["code"]), (403, "sendAsDenied"))
        st, _, b = env.call("POST", "/v1.0/me/sendMail", {"message": {"subject": "no rcpt"}},
                            token=tok)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.call("POST", "/v1.0/me/sendMail", "x", token=tok,
                            headers={"Content-Type": "application/xml"})
        self.assertEqual(st, 415)
        st, _, b = env.call("POST", "/v1.0/me/sendMail", "!!notbase64!!", token=tok,
                            headers={"Content-Type": "text/plain"})
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.call("POST", "/v1.0/me/sendMail", dict(msg, sensitivityLabelId="nope"),
                            token=tok)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.call("POST", "/v1.0/me/sendMail", dict(msg, sensitivityLabelId=LABEL),
                            token=tok)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))  # not in catalog
        # S/MIME off: sign/encrypt requests are refused
        env.call("PATCH", "/v1.0/me/settings", {"smimeEnabled": False}, token=tok)
        st, _, b = env.call("POST", "/v1.0/me/sendMail", dict(msg, sign=True), token=tok)
        self.assertEqual((st, b["error"]["code"]), (403, "smimeDisabled"))
        self.assertEqual(env.sql("SELECT count(*) FROM queue_messages"), "2")

    def test_certificates_list_and_delete(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        st, _, b = env.call("GET", "/v1.0/me/certificates", token=tok)
        self.assertEqual((st, b), (200, {"value": []}))
        st, _, b = env.call("DELETE", "/v1.0/me/certificates/ABCDEF", token=tok)
        self.assertEqual((st, b["error"]["code"]), (404, "not_found"))

    def test_isolation_every_route_401_without_token_404_for_another_users_ids(self):
        env = self.env()
        alice = env.token("alice@contoso.test")
        bob = env.token("bob@contoso.test")
        row = env.deliver("alice@contoso.test", "private")
        mid = message_id(row, env, alice)
        self.assertIsNotNone(mid)
        st, _, device = env.call("POST", "/v1.0/me/devices", {"deviceId": "phone", "name": "P"},
                                 token=alice)
        self.assertEqual(st, 201, device)
        routes = sync_routes()
        self.assertGreaterEqual(len(routes), 24)
        for method, path in routes:
            own_id = device["id"] if path.startswith("/v1.0/me/devices/") else mid
            concrete = (path.replace("{folder}", "inbox").replace("{id}", own_id)
                        .replace("{aid}", "a1"))
            if (method, path) != ("POST", "/v1.0/oauth2/token"):
                st, h, b = env.call(method, concrete, "{}" if method in ("POST", "PATCH") else None,
                                    token=None)
                self.assertEqual(st, 401, (method, path))
                self.assertIn("Bearer", h.get("www-authenticate", ""))
                self.assertEqual(env.call(method, concrete, token="smgw_forged")[0], 401)
            if "{id}" in path and path.startswith(("/v1.0/me/messages/", "/v1.0/me/devices/")):
                st, _, b = env.call(method, concrete, token=bob)
                self.assertEqual((st, b["error"]["code"]), (404, "not_found"), (method, path))
                self.assertNotIn("private", json.dumps(b))
        # alice herself reads it and keeps her device; bob's delta does not show it
        self.assertEqual(env.call("GET", f"/v1.0/me/messages/{mid}", token=alice)[0], 200)
        st, _, devices = env.call("GET", "/v1.0/me/devices", token=alice)
        self.assertEqual([d["id"] for d in devices["value"]], [device["id"]])
        st, _, d = env.call("GET", "/v1.0/me/mailFolders/inbox/messages/delta", token=bob)
        self.assertEqual(d["value"], [])


if __name__ == "__main__":
    unittest.main()
