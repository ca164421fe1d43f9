"""`smimegw users list|show|disable|enable|import-pkcs12|export-pkcs12` and `smimegw keys
init|check|rotate` through the real binary, with certificates made by `smimegw pki`, PKCS#12 read
back by `openssl pkcs12`, the raw database rows read with psql, and `serve` refusing a wrong or
missing key-encryption key."""
import json
import os
import re
import subprocess
import unittest

from gateway import Daemon, psql, run, scratch_database, workdir, write_config


def sh(*args, text=False):
    r = subprocess.run(list(args), capture_output=True, text=text)
    if r.returncode != 0:
        raise AssertionError(f"{args} failed: {r.stderr}")
    return r.stdout


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


class Env:
    """Migrated scratch database, a config (revocation off: the test PKI has no CRL server), a
    KEK made by `keys init`, a trusted test PKI and the users alice (+ proxy) and bob."""

    def __init__(self, d, db_url, db_name):
        self.d = d
        self.db_name = db_name
        self.config, self.ports = write_config(d, db_url, "trust:\n  revocation: off\n")
        self.kek = os.path.join(d, "kek.bin")
        self.ok("migrate")
        out = self.ok("keys", "init")
        assert "KEK id" in out, out
        self.ca = os.path.join(d, "ca")
        pki("init", "--dir", self.ca, "--name", "Users IT Root")
        self.ok("trust", "add", os.path.join(self.ca, "root.pem"))
        self.ok("users", "add", "alice@contoso.test", "--name", "Alice", "--proxy",
                "a.smith@contoso.test")
        self.ok("users", "add", "bob@contoso.test")
        self.pw = self.path("p12.pw")
        with open(self.pw, "w") as f:
            f.write("p12-secret\n")
        self.device_pw = self.path("device.pw")
        with open(self.device_pw, "w") as f:
            f.write("device-secret-1\n")

    def path(self, name):
        return os.path.join(self.d, name)

    def cli(self, *args, env=None):
        return run(*args, "-c", self.config, env=env)

    def ok(self, *args, env=None):
        r = self.cli(*args, env=env)
        assert r.returncode == 0, f"{args}: {r.returncode} {r.stderr}"
        return r.stdout

    def issue(self, email, usage="both", ca=None, name=None):
        out = self.path((name or email.split("@")[0] + "-" + usage) + ".p12")
        info = pki("issue", "--dir", ca or self.ca, "--email", email, "--usage", usage,
                   "--out-p12", out, "--password-file", self.pw)
        info["p12"] = out
        return info

    def show(self, address):
        return json.loads(self.ok("users", "show", address, "--json"))

    def sql(self, q):
        return psql(q, db=self.db_name)


class UsersCliTest(unittest.TestCase):
    def env(self):
        d = self.enterContext(workdir())
        url, name = self.enterContext(scratch_database())
        return Env(d, url, name)

    def test_import_dual_use_then_show_ready_and_export_opened_by_openssl(self):
        e = self.env()
        alice = e.issue("alice@contoso.test")
        out = e.ok("users", "import-pkcs12", "alice@contoso.test", alice["p12"],
                   "--password-file", e.pw)
        thumb = sh("openssl", "x509", "-in", alice["cert"], "-noout", "-fingerprint", "-sha1",
                   text=True).split("=")[1].strip().replace(":", "")
        self.assertEqual(out.strip(), f"imported {thumb} usage=both")
        shown = e.show("a.smith@contoso.test")
        self.assertEqual(shown["address"], "alice@contoso.test")
        self.assertTrue(shown["smime"]["ready"])
        [c] = shown["certificates"]
        self.assertEqual((c["thumbprint"], c["usage"], c["source"], c["forced"]),
                         (thumb, "both", "pkcs12", False))
        self.assertTrue(c["valid_for_signing"] and c["valid_for_encryption"])
        text = e.ok("users", "show", "alice@contoso.test")
        self.assertIn("smime: ready", text)
        self.assertIn(f"certificate: {thumb} usage=both source=pkcs12", text)

        exported = e.path("device.p12")
        out = e.ok("users", "export-pkcs12", "alice@contoso.test", exported, "--password-file",
                   e.device_pw)
        self.assertEqual(out.strip(), f"exported {thumb}")
        self.assertEqual(os.stat(exported).st_mode & 0o777, 0o600)
        info = subprocess.run(["openssl", "pkcs12", "-info", "-in", exported, "-passin",
                               "file:" + e.device_pw, "-nodes"], capture_output=True, text=True)
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertIn("PBES2, PBKDF2, AES-256-CBC", info.stderr)
        self.assertEqual(info.stdout.count("BEGIN PRIVATE KEY"), 1)
        # the exported key is the imported one
        key_pem = re.search(r"-----BEGIN PRIVATE KEY-----.*?-----END PRIVATE KEY-----\n",
                            info.stdout, re.S).group(0)
        with open(e.path("exported.key"), "w") as f:
            f.write(key_pem)
        pub = lambda k: sh("openssl", "pkey", "-in", k, "-pubout")
        self.assertEqual(pub(e.path("exported.key")), pub(alice["key"]))
        wrong = subprocess.run(["openssl", "pkcs12", "-info", "-in", exported, "-passin",
                                "pass:nope", "-nodes"], capture_output=True)
        self.assertNotEqual(wrong.returncode, 0)
        self.assertEqual(e.sql("SELECT action || ' ' || subject FROM audit_log ORDER BY id"),
                         "user_certificate.import alice@contoso.test\n"
                         "user_certificate.export alice@contoso.test")
        # refuses to overwrite an existing file
        r = e.cli("users", "export-pkcs12", "alice@contoso.test", exported, "--password-file",
                  e.device_pw)
        self.assertEqual(r.returncode, 1)

    def test_separate_sign_and_encrypt_certificates_and_the_missing_part(self):
        e = self.env()
        e.ok("users", "import-pkcs12", "alice@contoso.test", e.issue("alice@contoso.test",
             "sign")["p12"], "--password-file", e.pw)
        text = e.ok("users", "show", "alice@contoso.test")
        self.assertIn("smime: not ready (missing a valid encryption certificate)", text)
        out = e.ok("users", "import-pkcs12", "alice@contoso.test",
                   e.issue("a.smith@contoso.test", "encrypt")["p12"], "--password-file", e.pw)
        self.assertIn("usage=encrypt", out)
        shown = e.show("alice@contoso.test")
        self.assertTrue(shown["smime"]["ready"])
        self.assertEqual(sorted(c["usage"] for c in shown["certificates"]), ["encrypt", "sign"])
        bob = e.show("bob@contoso.test")
        self.assertFalse(bob["smime"]["ready"])
        self.assertEqual(bob["smime"]["missing"], "signing and encryption")
        exported = e.path("two.p12")
        out = e.ok("users", "export-pkcs12", "alice@contoso.test", exported, "--password-file",
                   e.device_pw)
        self.assertEqual(len(out.split()), 4)  # two "exported THUMB" lines
        info = subprocess.run(["openssl", "pkcs12", "-info", "-in", exported, "-passin",
                               "file:" + e.device_pw, "-nodes"], capture_output=True, text=True)
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertEqual(info.stdout.count("BEGIN PRIVATE KEY"), 2)

    def test_refusals_wrong_address_untrusted_force_and_wrong_password(self):
        e = self.env()
        carol = e.issue("carol@contoso.test")
        for extra in ([], ["--force"]):
            r = e.cli("users", "import-pkcs12", "alice@contoso.test", carol["p12"],
                      "--password-file", e.pw, *extra)
            self.assertEqual(r.returncode, 1)
            self.assertIn("address_mismatch", r.stderr)
            self.assertIn("carol@contoso.test", r.stderr)

        other = e.path("other-ca")
        pki("init", "--dir", other, "--name", "Untrusted Root")
        stranger = e.issue("alice@contoso.test", ca=other, name="stranger")
        r = e.cli("users", "import-pkcs12", "alice@contoso.test", stranger["p12"],
                  "--password-file", e.pw)
        self.assertEqual(r.returncode, 1)
        self.assertIn("untrusted", r.stderr)
        self.assertIn("untrusted_root", r.stderr)
        self.assertEqual(e.sql("SELECT count(*) FROM user_certificates"), "0")
        out = e.ok("users", "import-pkcs12", "alice@contoso.test", stranger["p12"],
                   "--password-file", e.pw, "--force")
        self.assertIn("forced (untrusted_root)", out)
        [c] = e.show("alice@contoso.test")["certificates"]
        self.assertTrue(c["forced"])
        self.assertTrue({"untrusted_root", "chain_incomplete"} & set(c["errors"]), c)
        self.assertEqual(e.sql("SELECT action || ' ' || (detail->>'forced') FROM audit_log"),
                         "user_certificate.import_forced true")

        bad = e.path("bad.pw")
        with open(bad, "w") as f:
            f.write("not-the-password\n")
        r = e.cli("users", "import-pkcs12", "alice@contoso.test",
                  e.issue("a.smith@contoso.test")["p12"], "--password-file", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("wrong_password", r.stderr)

    def test_raw_rows_hold_no_private_key_bytes(self):
        e = self.env()
        alice = e.issue("alice@contoso.test")
        e.ok("users", "import-pkcs12", "alice@contoso.test", alice["p12"], "--password-file", e.pw)
        pkcs8 = sh("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", alice["key"], "-outform",
                   "DER")
        text = sh("openssl", "pkey", "-in", alice["key"], "-noout", "-text", text=True)
        exponent = re.search(r"privateExponent:\n((?:\s+[0-9a-f:]+\n)+)", text).group(1)
        d_hex = re.sub(r"[\s:]", "", exponent).lstrip("0")
        row = e.sql("SELECT c::text FROM user_certificates c")
        b64 = e.sql("SELECT encode(der, 'base64') || encode(wrapped_key, 'base64') "
                    "FROM user_certificates")
        self.assertIn("\\x", row)  # bytea columns are in the text, as hex
        import base64
        # the PKCS#8 DER also holds the public modulus (in the certificate too): look for the
        # private exponent, and for the DER/base64 from its private part on
        priv_at = pkcs8.hex().find(d_hex[:32])
        self.assertGreater(priv_at, 0)
        for needle in (pkcs8.hex()[priv_at:], d_hex):
            for window in range(0, len(needle) - 48, 48):
                self.assertNotIn(needle[window:window + 48], row)
                self.assertNotIn(needle[window:window + 48], b64.replace("\n", ""))
        self.assertRegex(e.sql("SELECT kek_id FROM user_certificates"), r"^[0-9a-f]{16}$")

    def test_keys_init_check_and_insecure_or_missing_kek(self):
        e = self.env()
        r = e.cli("keys", "init")
        self.assertEqual(r.returncode, 1)
        self.assertIn("kek_exists", r.stderr)
        self.assertEqual(os.stat(e.kek).st_mode & 0o777, 0o600)
        self.assertIn("ok:", e.ok("keys", "check"))
        os.chmod(e.kek, 0o644)
        r = e.cli("keys", "check")
        self.assertEqual(r.returncode, 1)
        self.assertIn("kek_insecure", r.stderr)
        self.assertIn("chmod 600", r.stderr)
        r = e.cli("users", "import-pkcs12", "alice@contoso.test",
                  e.issue("alice@contoso.test")["p12"], "--password-file", e.pw)
        self.assertEqual(r.returncode, 1)
        self.assertIn("kek_insecure", r.stderr)
        os.chmod(e.kek, 0o600)

    def test_serve_refuses_a_wrong_or_missing_kek_once_keys_are_stored(self):
        e = self.env()
        e.ok("users", "import-pkcs12", "alice@contoso.test", e.issue("alice@contoso.test")["p12"],
             "--password-file", e.pw)
        other = e.path("other-kek.bin")
        e.ok("keys", "init", "--file", other)
        for kek, code in ((other, "kek_mismatch"), (e.path("absent.bin"), "kek_missing")):
            env = {"SMIMEGW_KEYS_KEK_FILE": kek}
            r = run("serve", "-c", e.config, env=env, timeout=30)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(code, r.stderr)
            r = e.cli("users", "export-pkcs12", "alice@contoso.test", e.path("x.p12"),
                      "--password-file", e.device_pw, env=env)
            self.assertEqual(r.returncode, 1)
            self.assertIn(code, r.stderr)
        daemon = Daemon(e.config, e.ports).start()  # the right KEK: it serves
        daemon.stop()

    def env_with_two_keys(self):
        """alice (signing key) and bob (dual-use key) imported; returns the env and the KEK id."""
        e = self.env()
        e.ok("users", "import-pkcs12", "alice@contoso.test",
             e.issue("alice@contoso.test", "sign")["p12"], "--password-file", e.pw)
        e.ok("users", "import-pkcs12", "bob@contoso.test", e.issue("bob@contoso.test")["p12"],
             "--password-file", e.pw)
        return e, e.sql("SELECT DISTINCT kek_id FROM user_certificates")

    def test_rotate_rewraps_every_key_and_the_old_kek_is_refused_after(self):
        e, old_id = self.env_with_two_keys()
        new = e.path("kek-2.bin")
        out = e.ok("keys", "rotate", new)
        self.assertIn("re-wrapped 2 private keys", out)
        self.assertIn("keys.kek_file: " + new, out)
        self.assertEqual(os.stat(new).st_mode & 0o777, 0o600)
        new_id = e.sql("SELECT DISTINCT kek_id FROM user_certificates")
        self.assertNotEqual(new_id, old_id)
        self.assertEqual(e.sql("SELECT count(*) FROM audit_log WHERE action = 'keys.rotate'"),
                         "1")
        r = e.cli("keys", "check")  # still pointing at the old file
        self.assertEqual(r.returncode, 1)
        self.assertIn("kek_mismatch", r.stderr)
        env = {"SMIMEGW_KEYS_KEK_FILE": new}
        self.assertIn(new_id, e.ok("keys", "check", env=env))
        for user in ("alice@contoso.test", "bob@contoso.test"):
            e.ok("users", "export-pkcs12", user, e.path(user + ".p12"), "--password-file",
                 e.device_pw, env=env)

    def test_a_rotation_spoiled_by_a_late_key_is_named_at_start_and_finished_by_rotating_again(self):
        e, old_id = self.env_with_two_keys()
        bob_old = e.sql("SELECT encode(wrapped_key, 'hex') FROM user_certificates WHERE user_id = "
                        "(SELECT id FROM users WHERE address = 'bob@contoso.test')")
        new = e.path("kek-2.bin")
        e.ok("keys", "rotate", new)
        # the state a gateway still running with the old KEK used to leave: one key under it
        e.sql("UPDATE user_certificates SET wrapped_key = decode('" + bob_old + "', 'hex'), "
              "kek_id = '" + old_id + "' WHERE user_id = (SELECT id FROM users WHERE address = "
              "'bob@contoso.test') RETURNING 1")
        env = {"SMIMEGW_KEYS_KEK_FILE": new}
        r = run("serve", "-c", e.config, env=env, timeout=30)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("kek_mismatch", r.stderr)
        self.assertIn("some stored private keys are wrapped under KEK " + old_id, r.stderr)
        self.assertIn("keys rotate", r.stderr)
        # the remedy the message names: the same rotation again, from the old file
        out = e.ok("keys", "rotate", new)
        self.assertIn("re-wrapped 2 private keys", out)
        new_id = e.sql("SELECT string_agg(DISTINCT kek_id, ',') FROM user_certificates")
        self.assertNotIn(",", new_id)
        self.assertIn(new_id, e.ok("keys", "check", env=env))
        for user in ("alice@contoso.test", "bob@contoso.test"):
            e.ok("users", "export-pkcs12", user, e.path(user + ".p12"), "--password-file",
                 e.device_pw, env=env)
        # a third KEK in the store is refused, and the file rotate made is removed again
        e.sql("UPDATE user_certificates SET kek_id = 'ffffffffffffffff' WHERE user_id = "
              "(SELECT id FROM users WHERE address = 'bob@contoso.test') RETURNING 1")
        third = e.path("kek-3.bin")
        r = e.cli("keys", "rotate", third, env=env)
        self.assertEqual(r.returncode, 1)
        self.assertIn("kek_mismatch", r.stderr)
        self.assertIn("ffffffffffffffff", r.stderr)
        self.assertFalse(os.path.exists(third))

    def test_list_disable_enable(self):
        e = self.env()
        listing = json.loads(e.ok("users", "list", "--json"))
        self.assertEqual([u["address"] for u in listing], ["alice@contoso.test",
                                                            "bob@contoso.test"])
        self.assertEqual(listing[0]["proxy_addresses"], ["a.smith@contoso.test"])
        self.assertNotIn("password_hash", listing[0])
        self.assertEqual(e.ok("users", "disable", "A.Smith@contoso.test").strip(),
                         "a.smith@contoso.test disabled")
        self.assertFalse(e.show("alice@contoso.test")["enabled"])
        self.assertIn("alice@contoso.test\tdisabled", e.ok("users", "list"))
        e.ok("users", "enable", "alice@contoso.test")
        self.assertTrue(json.loads(e.ok("users", "list", "--json"))[0]["enabled"])
        r = e.cli("users", "disable", "nobody@contoso.test")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no user", r.stderr)
        self.assertEqual(e.cli("users", "show").returncode, 2)


if __name__ == "__main__":
    unittest.main()
