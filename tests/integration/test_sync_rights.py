"""Answering messages through the sync API (forward, reply, replyAll) against the label's rights,
and S/MIME off until the user enables it: a protected message's rights refuse forward and
replyAll (rightsDenied naming the right) and allow reply, which keeps the label (sealed copy,
In-Reply-To); an internal-only label is refused for outside recipients by the transport gate;
replies go to Reply-To or From, replyAll to To and Cc without the caller; while S/MIME is off a
sealed message is served undecrypted (smime.p7m) and cannot be answered, sign requests are
refused, and labels and alwaysEncrypt still encrypt in transport."""
import email
import unittest

from gateway import wait_for
from sync_world import INTERNAL, VIEW_REPLY, SyncWorld


def send(w, token, subject, to, label=None, body="the protected words"):
    msg = {"message": {"subject": subject, "body": {"contentType": "text", "content": body},
                       "toRecipients": [{"emailAddress": {"address": a}} for a in to]}}
    if label:
        msg["sensitivityLabelId"] = label
    st, b = w.call("POST", "/v1.0/me/sendMail", msg, token=token)
    assert st == 202, b
    return w.wait_subject(token_for_inbox(w, to[0]), subject)


def token_for_inbox(w, address):
    """One token per user of the world `w` (kept on it)."""
    tokens = w.__dict__.setdefault("tokens", {})
    if address not in tokens:
        tokens[address] = w.token(address)
    return tokens[address]


class SyncRightsTest(unittest.TestCase):
    def test_forward_reply_and_reply_all_honour_the_label_rights(self):
        w = SyncWorld(self)
        alice = token_for_inbox(w, "alice@contoso.test")
        bob = token_for_inbox(w, "bob@contoso.test")
        m = send(w, bob, "Board minutes", ["alice@contoso.test"], VIEW_REPLY)
        mid = m["id"]
        self.assertEqual(w.sql("SELECT sealed FROM mailbox_messages WHERE mailbox = "
                               "'alice@contoso.test'"), "t")
        # S/MIME is off for alice: the sealed message is served as stored, and cannot be answered
        st, msg = w.call("GET", f"/v1.0/me/messages/{mid}", token=alice)
        self.assertEqual(st, 200, msg)
        self.assertNotIn("the protected words", msg["body"]["content"])
        self.assertEqual(msg["rights"]["forward"], False)
        st, atts = w.call("GET", f"/v1.0/me/messages/{mid}/attachments", token=alice)
        self.assertEqual([a["name"] for a in atts["value"]], ["smime.p7m"])
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/forward",
                       {"toRecipients": [{"emailAddress": {"address": "bob@contoso.test"}}]},
                       token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "rightsDenied"), b)
        self.assertIn("forward", b["error"]["message"])
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/reply", {"comment": "x"}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "smimeDisabled"), b)
        # S/MIME on: decrypted on fetch; reply allowed, forward and replyAll refused
        w.enable_smime(alice)
        st, msg = w.call("GET", f"/v1.0/me/messages/{mid}", token=alice)
        self.assertIn("the protected words", msg["body"]["content"])
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/replyAll", {"comment": "all"},
                       token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "rightsDenied"), b)
        self.assertIn("replyAll", b["error"]["message"])
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/forward",
                       {"comment": "fyi", "toRecipients": [
                           {"emailAddress": {"address": "bob@contoso.test"}}]}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "rightsDenied"), b)
        queued = w.sql("SELECT count(*) FROM queue_messages")
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/reply", {"comment": "Noted, thanks"},
                       token=alice)
        self.assertEqual(st, 202, b)
        self.assertEqual(int(w.sql("SELECT count(*) FROM queue_messages")), int(queued) + 1)
        reply = w.wait_subject(bob, "RE: Board minutes")
        row = w.sql("SELECT label_id || ' ' || sealed FROM mailbox_messages WHERE mailbox = "
                    "'bob@contoso.test' AND folder = 'inbox'")
        self.assertEqual(row, f"{VIEW_REPLY} true")
        w.enable_smime(bob)
        st, r = w.call("GET", f"/v1.0/me/messages/{reply['id']}?$select=internetMessageHeaders",
                       token=bob)
        self.assertIn("Noted, thanks", r["body"]["content"])
        self.assertIn("-----Original Message-----", r["body"]["content"])
        self.assertIn("the protected words", r["body"]["content"])
        self.assertEqual(r["sensitivityLabel"]["id"], VIEW_REPLY)
        headers = {h["name"].lower(): h["value"] for h in r["internetMessageHeaders"]}
        self.assertEqual(headers["in-reply-to"], m["internetMessageId"])
        self.assertIn(m["internetMessageId"], headers["references"])
        # bob cannot answer alice's message; bad bodies are refused
        for action in ("forward", "reply", "replyAll"):
            st, b = w.call("POST", f"/v1.0/me/messages/{mid}/{action}", {}, token=bob)
            self.assertEqual((st, b["error"]["code"]), (404, "not_found"), action)
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/reply", {"colour": 1}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"))

    def test_internal_only_forward_refused_outside_and_forward_attaches_the_original(self):
        w = SyncWorld(self)
        alice = token_for_inbox(w, "alice@contoso.test")
        bob = token_for_inbox(w, "bob@contoso.test")
        w.enable_smime(alice)
        w.enable_smime(bob)
        m = send(w, bob, "Plans", ["alice@contoso.test"], INTERNAL, body="internal plans")
        path = f"/v1.0/me/messages/{m['id']}/forward"
        st, b = w.call("POST", path, {"toRecipients": [
            {"emailAddress": {"address": "carol@example.org"}}]}, token=alice)
        self.assertEqual((st, b["error"]["code"]), (422, "policyRefused"), b)
        self.assertEqual([r["address"] for r in b["error"]["recipients"]], ["carol@example.org"])
        for bad in ({}, {"toRecipients": []}, {"toRecipients": [{"emailAddress": {
                "address": "not an address"}}]}, {"toRecipients": "bob"}):
            st, b = w.call("POST", path, bad, token=alice)
            self.assertEqual((st, b["error"]["code"]), (400, "validation_failed"), bad)
        st, b = w.call("POST", path, {"comment": "see below", "toRecipients": [
            {"emailAddress": {"address": "bob@contoso.test", "name": "Bob"}}]}, token=alice)
        self.assertEqual(st, 202, b)
        fw = w.wait_subject(bob, "FW: Plans")
        self.assertEqual(w.sql("SELECT label_id FROM mailbox_messages WHERE mailbox = "
                               "'bob@contoso.test' AND folder = 'inbox' ORDER BY id DESC LIMIT 1"),
                         INTERNAL)
        st, msg = w.call("GET", f"/v1.0/me/messages/{fw['id']}", token=bob)
        self.assertIn("see below", msg["body"]["content"])
        st, atts = w.call("GET", f"/v1.0/me/messages/{fw['id']}/attachments", token=bob)
        [att] = [a for a in atts["value"] if a["contentType"] == "message/rfc822"]
        st, raw = w.call("GET", f"/v1.0/me/messages/{fw['id']}/attachments/{att['id']}/$value",
                         token=bob)
        original = email.message_from_bytes(raw)
        self.assertEqual(original["Subject"], "Plans")
        self.assertEqual(original.get_payload(decode=True), b"internal plans")

    def test_reply_targets_reply_to_and_reply_all_skips_the_caller(self):
        w = SyncWorld(self, keys=())
        alice = token_for_inbox(w, "alice@contoso.test")
        w.inject(b"From: Xavier <x@example.org>\r\nReply-To: r@example.org\r\n"
                 b"To: alice@contoso.test, y@example.org\r\nCc: z@example.org, "
                 b"A <a.smith@contoso.test>\r\nSubject: Lunch\r\n"
                 b"Message-ID: <lunch-1@example.org>\r\n\r\nTuesday?\r\n",
                 "x@example.org", "alice@contoso.test")
        mid = w.inbox(alice)["Lunch"]["id"]

        def sent_headers():
            body = w.sql("SELECT encode(body, 'escape') FROM mailbox_messages WHERE folder = "
                         "'sentitems' ORDER BY id DESC LIMIT 1")
            head = body.replace("\r", "").split("\n\n")[0].replace("\n ", " ")
            return {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip()
                    for l in head.split("\n") if ":" in l}

        self.assertEqual(w.call("POST", f"/v1.0/me/messages/{mid}/reply", {}, token=alice)[0], 202)
        h = sent_headers()
        self.assertEqual((h["to"], h.get("cc"), h["subject"], h["in-reply-to"]),
                         ("r@example.org", None, "RE: Lunch", "<lunch-1@example.org>"))
        st, b = w.call("POST", f"/v1.0/me/messages/{mid}/replyAll", {"comment": "yes"},
                       token=alice)
        self.assertEqual(st, 202, b)
        h = sent_headers()
        self.assertEqual(h["to"], "r@example.org, y@example.org")
        self.assertEqual(h["cc"], "z@example.org")  # neither alice nor her proxy a.smith@
        self.assertEqual(h["references"], "<lunch-1@example.org>")

    def test_smime_is_off_until_enabled_and_transport_still_encrypts(self):
        w = SyncWorld(self)
        w.cli("smime-config", "set", "alwaysEncrypt=true")
        w.start()
        alice = token_for_inbox(w, "alice@contoso.test")
        st, s = w.call("GET", "/v1.0/me/settings", token=alice)
        self.assertEqual((st, s["smimeEnabled"]), (200, False))
        msg = {"message": {"subject": "signed?", "toRecipients": [
            {"emailAddress": {"address": "bob@contoso.test"}}]}, "sign": True}
        st, b = w.call("POST", "/v1.0/me/sendMail", msg, token=alice)
        self.assertEqual((st, b["error"]["code"]), (403, "smimeDisabled"))
        # alwaysEncrypt applies although alice's S/MIME is off: bob's copy arrives encrypted
        del msg["sign"]
        msg["message"]["subject"] = "org encrypts"
        st, b = w.call("POST", "/v1.0/me/sendMail", msg, token=alice)
        self.assertEqual(st, 202, b)
        wait_for(lambda: w.mailbox_count("bob@contoso.test") == 1, what="bob's copy")
        row = w.sql("SELECT sealed || ' ' || (smime->>'encrypted') FROM mailbox_messages WHERE "
                    "mailbox = 'bob@contoso.test'")
        self.assertEqual(row, "true true")
        # patching other settings does not turn S/MIME on; the choice counts once it is on
        st, s = w.call("PATCH", "/v1.0/me/settings", {"signAll": True}, token=alice)
        self.assertEqual((st, s["smimeEnabled"], s["signAll"]), (200, False, False))
        self.assertEqual(w.sql("SELECT smime_enabled || ' ' || sign_all FROM "
                               "user_smime_settings"), "false true")
        w.enable_smime(alice)
        st, s = w.call("GET", "/v1.0/me/settings", token=alice)
        self.assertEqual((s["smimeEnabled"], s["signAll"]), (True, True))


if __name__ == "__main__":
    unittest.main()
