"""Security sweep (issue 9 item 4), secrets: after a full run through the real daemon — SMTP AUTH
with right and wrong passwords, mail signed with a vault key and encrypted to a local user (whose
key decrypts it), relay AUTH towards the next hop, sync token grants right and wrong, reads of the
decrypted message, sendMail signed, admin API calls with good and forged tokens, a PKCS#12 export —
no password, token, KEK or private-key byte appears in the daemon's log (debug level) or in any CLI
output, and a pg_dump of the whole database holds no private key in plaintext."""
import base64
import os
import re
import subprocess
import unittest

from gateway import PG_BIN, Daemon, pg_host, scratch_database, swaks, wait_for, workdir
from mail_env import PASSWORD, gw_log
from security_env import P12_PASSWORD, RELAY_PASSWORD, SecurityEnv

WRONG_SMTP = "Wr0ng-Smtp-Guess-1193"
WRONG_SYNC = "Wr0ng-Sync-Guess-7710"
DEVICE_PASSWORD = "Device-Export-Secret-3318"
# generic shapes of a private key in clear: PEM armour, the base64 and DER prefixes of an RSA
# PKCS#8 PrivateKeyInfo, an RSA PKCS#1 RSAPrivateKey (2048 bit), an EC P-256 ECPrivateKey
CLEAR_KEY_TEXT = ["PRIVATE KEY-----", "BgkqhkiG9w0BAQEFAASC"]
CLEAR_KEY_HEX = ["020100300d06092a864886f70d0101010500", "0201000282010100", "30770201010420"]


def key_material(key_pem):
    """Hex of the private parts (d, p, q) of an RSA key file and its PEM lines past the public
    modulus (the first lines of a PKCS#8 PEM carry n, which the certificate shows anyway)."""
    text = subprocess.run(["openssl", "pkey", "-in", key_pem, "-noout", "-text"],
                          capture_output=True, text=True, check=True).stdout
    parts = []
    for name in ("privateExponent", "prime1", "prime2"):
        m = re.search(name + r":\n((?:\s+[0-9a-f:]+\n)+)", text)
        parts.append(re.sub(r"[\s:]", "", m.group(1)).lstrip("0"))
    with open(key_pem) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("-----")]
    return parts, lines[7:]


def windows(s, size=32, step=16):
    return [s[i:i + size] for i in range(0, max(1, len(s) - size + 1), step)]


class SecuritySecretsTest(unittest.TestCase):
    def assert_absent(self, haystack, needles, where):
        low = haystack.lower()
        for label, needle in needles:
            self.assertNotIn(needle.lower(), low, f"{label} found in {where}")

    def test_no_secret_in_logs_or_cli_output_and_no_clear_key_in_pg_dump(self):
        with workdir() as d, scratch_database() as (url, name):
            env = SecurityEnv(d, url, name)
            with env.sink, Daemon(env.cfg, env.ports):
                # SMTP submission: wrong passwords (PLAIN and LOGIN), then a signed and encrypted
                # message to bob (local: decrypted with his vault key) and a signed one relayed
                for mech in ("PLAIN", "LOGIN"):
                    code, out = swaks(env.ports["submission"], "--tls", "--auth", mech,
                                      "--auth-user", "alice@contoso.test", "--auth-password",
                                      WRONG_SMTP, "--from", "alice@contoso.test", "--to",
                                      "bob@contoso.test")
                    self.assertNotEqual(code, 0)
                    self.assertIn("535 5.7.8", out)
                code, out = env.submit("--from", "alice@contoso.test", "--to", "bob@contoso.test",
                                       "--header", "X-Smimegw-Sign: yes", "--header",
                                       "X-Smimegw-Encrypt: yes", "--body", "sealed for bob")
                self.assertEqual(code, 0, out)
                code, out = env.submit("--from", "alice@contoso.test", "--to", "carol@example.org",
                                       "--header", "X-Smimegw-Sign: yes", "--body", "signed out")
                self.assertEqual(code, 0, out)
                msgs = wait_for(env.sink.messages, what="relay delivery with AUTH")
                self.assertEqual(msgs[0][0]["auth"], "relay@contoso.test")
                self.assertIn(b"multipart/signed", msgs[0][1])
                wait_for(lambda: env.sql("SELECT count(*) FROM mailbox_messages WHERE "
                                         "mailbox = 'bob@contoso.test'") == "1", what="bob's copy")
                # sync API: a wrong grant, bob reads the decrypted message, alice sends signed
                st, _, body = env.grant("bob@contoso.test", WRONG_SYNC)
                self.assertEqual((st, body["error"]), (400, "invalid_grant"))
                bob = env.token("bob@contoso.test")
                alice = env.token("alice@contoso.test")
                for tok in (bob, alice):  # S/MIME on: bob's sealed copy is opened on fetch
                    st, _, b = env.http("sync", "PATCH", "/v1.0/me/settings",
                                        {"smimeEnabled": True}, token=tok)
                    self.assertEqual(st, 200, b)
                ids = env.inbox_ids(bob)
                self.assertEqual(len(ids), 1)
                st, _, msg = env.http("sync", "GET", f"/v1.0/me/messages/{ids[0]}", token=bob)
                self.assertEqual(st, 200, msg)
                self.assertTrue(msg["smime"]["encrypted"], msg["smime"])
                st, _, raw = env.http("sync", "GET", f"/v1.0/me/messages/{ids[0]}/$value", token=bob)
                self.assertEqual(st, 200)
                # inbound processing decrypted it with bob's vault key, verified alice's
                # signature inside and sealed it for storage; the fetch unsealed it
                self.assertIn(b"smime=pass", raw)
                self.assertIn(b"sealed for bob", raw)
                st, _, b = env.http("sync", "POST", "/v1.0/me/sendMail", {
                    "message": {"subject": "signed from the phone",
                                "toRecipients": [{"emailAddress": {"address": "bob@contoso.test"}}]},
                    "sign": True}, token=alice)
                self.assertEqual(st, 202, b)
                # admin API with the token and with a forged one
                st, _, _ = env.http("admin", "GET", "/admin/v1/users", token=env.admin_token)
                self.assertEqual(st, 200)
                forged = "smgw_" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
                self.assertEqual(env.http("admin", "GET", "/admin/v1/users", token=forged)[0], 401)
                wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE "
                                         "state = 'pending'") == "0", what="queue drained")
            # a device export through the CLI (audit-logged)
            dev_pw = os.path.join(d, "device.pw")
            with open(dev_pw, "w") as f:
                f.write(DEVICE_PASSWORD + "\n")
            env.cli("users", "export-pkcs12", "alice@contoso.test", os.path.join(d, "out.p12"),
                    "--password-file", dev_pw)
            logs = gw_log(d)
            self.assertIn("event=", logs)
            self.assertIn("smtp_auth", logs)  # the run did log authentication events

            secrets = [("user password", PASSWORD), ("wrong SMTP password", WRONG_SMTP),
                       ("wrong sync password", WRONG_SYNC), ("PKCS#12 password", P12_PASSWORD),
                       ("device export password", DEVICE_PASSWORD),
                       ("relay password", RELAY_PASSWORD), ("admin token", env.admin_token),
                       ("sync token (bob)", bob), ("sync token (alice)", alice),
                       ("forged token", forged),
                       ("KEK hex", env.kek.hex()), ("KEK base64", base64.b64encode(env.kek).decode()),
                       ("SMTP AUTH PLAIN blob", base64.b64encode(
                           b"\0alice@contoso.test\0" + PASSWORD.encode()).decode()),
                       ("SMTP AUTH LOGIN password", base64.b64encode(WRONG_SMTP.encode()).decode())]
            secrets += [("key marker", t) for t in CLEAR_KEY_TEXT]
            for who in ("alice", "bob"):
                hexes, pem_lines = key_material(env.people[who]["key"])
                secrets += [(f"{who}'s private key (hex)", w) for h in hexes for w in windows(h)]
                secrets += [(f"{who}'s private key (PEM)", l) for l in pem_lines]
            self.assert_absent(logs, secrets, "the daemon log")
            self.assert_absent("\n".join(env.cli_log), secrets, "CLI output")
            raw_logs = b"".join(open(os.path.join(d, n), "rb").read()
                                for n in os.listdir(d) if n.endswith(".log"))
            self.assertNotIn(env.kek, raw_logs)

            # pg_dump of the whole database: no clear key, no password, no token, no KEK
            dump = subprocess.run([f"{PG_BIN}/pg_dump", "-h", pg_host(), "-U", "smimegw", "-d",
                                   name], capture_output=True, text=True, check=True).stdout
            self.assertIn("COPY public.user_certificates", dump)
            self.assertIn("COPY public.gateway_keys", dump)
            self.assertRegex(dump, r"COPY public\.gateway_keys [^\n]*\n\d+\t")  # the key is there
            dump_secrets = [s for s in secrets if not s[0].startswith("forged")]
            dump_secrets += [("clear key DER", h) for h in CLEAR_KEY_HEX]
            self.assert_absent(dump, dump_secrets, "pg_dump")


if __name__ == "__main__":
    unittest.main()
