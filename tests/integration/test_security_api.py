"""Security sweep (issue 9 item 4), HTTP APIs through the real daemon: CR, LF or NUL in sendMail
fields (subject, addresses, names, attachment names and types, custom headers, query parameters)
and in an administrator-set display name never add a header or a recipient; path and SQL
metacharacters in admin and sync parameters are answered 4xx without side effects or leaked
internals; another user's token, a delta link of another user, an admin token on /v1.0, a sync
token on /admin/v1, a revoked token and a disabled user's token never read a mailbox."""
import base64
import re
import unittest
import urllib.parse

from gateway import Daemon, scratch_database, swaks, wait_for, workdir
from mail_env import PASSWORD
from security_env import SecurityEnv

INJECT = ["x\r\nBcc: evil@example.org", "x\nX-Injected: yes", "x\rX-Injected: yes",
          "x\x00X-Injected: yes", "x\r\n\r\nX-Injected: yes", "x\u2028X-Injected: yes"]
NASTY = ["' OR '1'='1", "1;DROP TABLE users;--", "1 UNION SELECT password_hash FROM users",
         "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2e%2e%2f%2e%2e", "%00", "%27--", "*",
         "%25", "$(id)", "`id`", "%5C", "bob@contoso.test'--", "%0D%0AX-Injected:%20yes", "-1",
         "99999999999999999999999999", "AAAAAAAAAAAAAAAA"]
LEAKS = re.compile(r"pqxx|syntax error|SELECT |ERROR: |/etc/|relation \"|invalid input syntax|"
                   r"password_hash|internal error", re.I)


def header_block(body):
    return body.split("\r\n\r\n", 1)[0] if "\r\n\r\n" in body else body.split("\n\n", 1)[0]


def injected_lines(text):
    """Header lines an injection would have added (at the start of a line of the header)."""
    return [l for l in re.split(r"\r\n|\n|\r", header_block(text))
            if re.match(r"(?i)(bcc|x-injected)\s*:", l)]


class SecurityApiTest(unittest.TestCase):
    def env(self):
        d = self.enterContext(workdir())
        url, name = self.enterContext(scratch_database())
        # no rate limit: the sweeps send hundreds of requests a second
        env = SecurityEnv(d, url, name, extra="admin: {rate_limit_per_s: 0}\n")
        self.enterContext(env.sink)
        self.enterContext(Daemon(env.cfg, env.ports))
        return env

    def assert_no_injection(self, env):
        """No stored message (queue or mailbox) carries an injected header line; no queue
        recipient other than the intended ones."""
        for table in ("queue_messages", "mailbox_messages"):
            for row in env.sql(f"SELECT id FROM {table}").split():
                text = env.sql(f"SELECT convert_from(body, 'UTF8') FROM {table} WHERE id = {row}")
                self.assertEqual(injected_lines(text), [], f"{table} {row}: {header_block(text)}")
        rcpts = set(env.sql("SELECT DISTINCT address FROM queue_recipients").split())
        self.assertLessEqual(rcpts, {"bob@contoso.test", "Bob@contoso.test"}, rcpts)

    def test_crlf_and_nul_in_send_mail_fields_never_inject_headers(self):
        env = self.env()
        tok = env.token("alice@contoso.test")
        to_bob = [{"emailAddress": {"address": "bob@contoso.test", "name": "Bob"}}]

        def message(**fields):
            m = {"subject": "ok", "toRecipients": to_bob,
                 "body": {"contentType": "text", "content": "hello"}}
            m.update(fields)
            return {"message": m}

        accepted = refused = 0
        for evil in INJECT:
            att = {"@odata.type": "#microsoft.graph.fileAttachment", "contentType": "text/plain",
                   "name": "a.txt", "contentBytes": base64.b64encode(b"att").decode()}
            cases = [
                message(subject=evil),
                message(toRecipients=[{"emailAddress": {"address": "bob@contoso.test",
                                                        "name": evil}}]),
                message(toRecipients=[{"emailAddress": {"address": "bob@contoso.test" + evil}}]),
                message(ccRecipients=[{"emailAddress": {"address": evil + "@contoso.test"}}]),
                message(attachments=[dict(att, name=evil)]),
                message(attachments=[dict(att, contentType="text/plain" + evil)]),
                message(internetMessageHeaders=[{"name": "X-Custom", "value": evil}]),
                message(internetMessageHeaders=[{"name": "X-C" + evil, "value": "v"}]),
                message(body={"contentType": "text" + evil, "content": "b"}),
                dict(message(), sensitivityLabelId=evil),
            ]
            for case in cases:
                st, _, b = env.http("sync", "POST", "/v1.0/me/sendMail", case, token=tok)
                self.assertIn(st, (202, 400), (case, b))
                if st == 400:
                    self.assertEqual(b["error"]["code"], "validation_failed", b)
                    refused += 1
                else:
                    accepted += 1
            # the raw MIME form's query parameters
            mime = base64.b64encode(b"From: alice@contoso.test\r\nTo: bob@contoso.test\r\n"
                                    b"Subject: raw\r\n\r\nraw\r\n").decode()
            for param in ("sensitivityLabelId", "sign", "encrypt", "saveToSentItems"):
                q = urllib.parse.urlencode({param: evil})
                st, _, b = env.http("sync", "POST", "/v1.0/me/sendMail?" + q, mime, token=tok,
                                    headers={"Content-Type": "text/plain"})
                self.assertIn(st, (202, 400), (param, b))
                accepted += st == 202
        self.assertGreater(refused, 40)
        wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE state = 'pending'")
                 == "0", what="queue drained")
        self.assert_no_injection(env)
        self.assertEqual(env.sink.messages(), [])
        print(f"sendMail injection cases: {refused} refused with 400, {accepted} accepted clean")

    def test_crlf_in_an_admin_display_name_never_reaches_a_header(self):
        env = self.env()
        st, _, b = env.http("admin", "POST", "/admin/v1/users", {
            "address": "mallory\r\nbcc@contoso.test", "password": PASSWORD}, token=env.admin_token)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.http("admin", "POST", "/admin/v1/users", {
            "address": "mallory@contoso.test", "proxyAddresses": ["m\nx@contoso.test"],
            "password": PASSWORD}, token=env.admin_token)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))
        st, _, b = env.http("admin", "POST", "/admin/v1/users", {
            "address": "mallory@contoso.test", "displayName": "Mal\r\nBcc: evil@example.org\r\n"
            "X-Injected: yes\x00", "password": PASSWORD}, token=env.admin_token)
        self.assertIn(st, (201, 400), b)
        print(f"display name with CR/LF/NUL: {st}")
        if st == 201:
            tok = env.token("mallory@contoso.test")
            st, _, b = env.http("sync", "POST", "/v1.0/me/sendMail", {"message": {
                "subject": "hi", "toRecipients": [{"emailAddress": {"address": "bob@contoso.test"}}]}},
                token=tok)
            self.assertEqual(st, 202, b)
            code, out = swaks(env.ports["inbound"], "--from", "x@example.org", "--to",
                              "mallory@contoso.test")
            self.assertEqual(code, 0, out)
            wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE "
                                     "state = 'pending'") == "0", what="queue drained")
            for row in env.sql("SELECT id FROM mailbox_messages").split():
                text = env.sql(f"SELECT convert_from(body, 'UTF8') FROM mailbox_messages "
                               f"WHERE id = {row}")
                self.assertEqual(injected_lines(text), [], text[:600])
            st, _, b = env.http("admin", "GET", "/admin/v1/users/mallory@contoso.test",
                                token=env.admin_token)
            self.assertEqual(st, 200)
        self.assertEqual(env.sink.messages(), [])

    def test_path_and_sql_metacharacters_in_parameters_are_harmless(self):
        env = self.env()
        code, out = swaks(env.ports["inbound"], "--from", "x@example.org", "--to", "bob@contoso.test")
        self.assertEqual(code, 0, out)
        wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages") == "1", what="delivery")
        bob = env.token("bob@contoso.test")
        before = {t: env.sql(f"SELECT count(*) FROM {t}") for t in
                  ("users", "queue_messages", "mailbox_messages", "trust_anchors", "api_tokens",
                   "user_certificates")}
        admin = env.admin_token
        calls = []
        for x in NASTY:
            q = urllib.parse.quote(x, safe="%")
            calls += [(x, *c) for c in [
                      ("admin", "GET", f"/admin/v1/users/{q}"),
                      ("admin", "GET", f"/admin/v1/users/{q}/certificates"),
                      ("admin", "POST", f"/admin/v1/users/{q}/disable"),
                      ("admin", "GET", f"/admin/v1/queue/{q}"),
                      ("admin", "POST", f"/admin/v1/queue/{q}/retry"),
                      ("admin", "DELETE", f"/admin/v1/queue/{q}"),
                      ("admin", "DELETE", f"/admin/v1/trust-anchors/{q}"),
                      ("admin", "POST", f"/admin/v1/trust-anchors/{q}/disable"),
                      ("admin", "GET", f"/admin/v1/queue?state={q}"),
                      ("admin", "GET", f"/admin/v1/queue?from={q}"),
                      ("admin", "GET", f"/admin/v1/users?top={q}&skip={q}"),
                      ("sync", "GET", f"/v1.0/me/messages/{q}"),
                      ("sync", "GET", f"/v1.0/me/messages/{q}/$value"),
                      ("sync", "GET", f"/v1.0/me/messages/{q}/attachments/{q}"),
                      ("sync", "DELETE", f"/v1.0/me/certificates/{q}"),
                      ("sync", "GET", f"/v1.0/me/mailFolders/{q}/messages/delta"),
                      ("sync", "GET", f"/v1.0/me/mailFolders/inbox/messages/delta?$deltatoken={q}"),
                      ("sync", "GET", f"/v1.0/me/mailFolders/inbox/messages/delta?$skiptoken={q}")]]
        statuses = {}
        for x, listener, method, path in calls:
            st, _, b = env.http(listener, method, path, token=admin if listener == "admin" else bob)
            statuses[st] = statuses.get(st, 0) + 1
            text = b if isinstance(b, (bytes, str)) else repr(b)
            text = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
            for echo in (x, urllib.parse.unquote(x)):  # an answer may name the value it refuses
                text = re.sub(re.escape(echo), "", text, flags=re.I)
            self.assertNotRegex(text, LEAKS, (method, path))
            ok_200 = path.startswith("/admin/v1/queue?") or path.startswith("/admin/v1/users?")
            self.assertIn(st, (400, 404, 405, 410) + ((200,) if ok_200 else ()),
                          (method, path, b))
            if st == 200:  # a filter that matched nothing
                self.assertEqual(b["value"], [], (method, path, b))
        after = {t: env.sql(f"SELECT count(*) FROM {t}") for t in before}
        self.assertEqual(before, after)
        self.assertEqual(env.sql("SELECT count(*) FROM users WHERE NOT enabled"), "0")
        self.assertEqual(env.sql("SELECT count(*) FROM trust_anchors WHERE NOT enabled"), "0")
        # the daemon is still healthy and bob still reads his message
        self.assertEqual(len(env.inbox_ids(bob)), 1)
        print(f"{len(calls)} requests with metacharacters: statuses {sorted(statuses.items())}")

    def test_no_token_but_the_owners_reads_a_mailbox(self):
        env = self.env()
        for subject in ("alice-private-1", "alice-private-2"):
            code, out = swaks(env.ports["inbound"], "--from", "x@example.org", "--to",
                              "alice@contoso.test", "--header", f"Subject: {subject}",
                              "--attach-type", "text/plain", "--attach", "@/etc/hostname")
            self.assertEqual(code, 0, out)
        wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages") == "2", what="delivery")
        alice, bob = env.token("alice@contoso.test"), env.token("bob@contoso.test")
        ids = env.inbox_ids(alice)
        self.assertEqual(len(ids), 2)
        st, _, atts = env.http("sync", "GET", f"/v1.0/me/messages/{ids[0]}/attachments", token=alice)
        self.assertEqual(st, 200, atts)
        aid = atts["value"][0]["id"]
        st, _, delta = env.http("sync", "GET", "/v1.0/me/mailFolders/inbox/messages/delta",
                                token=alice, headers={"Prefer": "odata.maxpagesize=1"})
        next_link = delta["@odata.nextLink"]
        st, _, delta = env.http("sync", "GET", next_link, token=alice)
        delta_link = delta["@odata.deltaLink"]
        reads = [f"/v1.0/me/messages/{i}" for i in ids]
        reads += [f"/v1.0/me/messages/{i}/$value" for i in ids]
        reads += [f"/v1.0/me/messages/{ids[0]}/attachments",
                  f"/v1.0/me/messages/{ids[0]}/attachments/{aid}",
                  f"/v1.0/me/messages/{ids[0]}/attachments/{aid}/$value"]
        for path in reads:
            self.assertEqual(env.http("sync", "GET", path, token=alice)[0], 200, path)

        def never_reads(token, expect, why):
            for path in reads + [next_link, delta_link]:
                st, _, b = env.http("sync", "GET", path, token=token)
                self.assertIn(st, expect, (why, path, b))
                self.assertNotIn(b"alice-private", b if isinstance(b, bytes) else repr(b).encode(),
                                 (why, path))

        never_reads(bob, (404, 410), "bob's token")
        never_reads(None, (401,), "no token")
        never_reads(env.admin_token, (401,), "the admin token")
        # bob's own delta never lists alice's mail, even from alice's links
        self.assertEqual(env.inbox_ids(bob), [])
        for link in (next_link, delta_link):
            st, _, b = env.http("sync", "GET", link, token=bob)
            self.assertEqual((st, b["error"]["code"]), (410, "resyncRequired"), link)
        # a sync token is no admin token
        self.assertEqual(env.http("admin", "GET", "/admin/v1/users", token=alice)[0], 401)
        # revoked: DELETE /oauth2/token; disabled user: the token stops working
        spare = env.token("alice@contoso.test")
        self.assertEqual(env.http("sync", "DELETE", "/v1.0/oauth2/token", token=spare)[0], 204)
        never_reads(spare, (401,), "a revoked token")
        st, _, _ = env.http("admin", "POST", "/admin/v1/users/alice@contoso.test/disable",
                            token=env.admin_token)
        self.assertEqual(st, 200)
        never_reads(alice, (401,), "a disabled user's token")
        self.assertEqual(env.grant("alice@contoso.test")[0], 400)


if __name__ == "__main__":
    unittest.main()
