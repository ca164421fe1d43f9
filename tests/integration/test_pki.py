"""`smimegw pki`: the test PKI makes chains OpenSSL accepts, PKCS#12 files OpenSSL opens, and CRLs
that list what was revoked. Everything is checked with the openssl command line."""
import os
import re
import subprocess
import threading
import unittest

from gateway import run, workdir


def openssl(*args, check=True):
    r = subprocess.run(["openssl", *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r


def kv(stdout):
    return dict(line.split("=", 1) for line in stdout.splitlines() if "=" in line)


def ok(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"smimegw pki {' '.join(args)} exited {r.returncode}:\n{r.stderr}")
    return kv(r.stdout)


class PkiTest(unittest.TestCase):
    def test_root_and_leaf_verify_with_openssl(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            init = ok("init", "--dir", ca, "--name", "IT Root")
            self.assertTrue(os.path.exists(init["root"]))
            leaf = ok("issue", "--dir", ca, "--email", "alice@contoso.test", "--name", "Alice")
            r = openssl("verify", "-purpose", "smimesign", "-CAfile", init["root"], leaf["cert"])
            self.assertIn(": OK", r.stdout)
            text = openssl("x509", "-in", leaf["cert"], "-noout", "-text").stdout
            self.assertIn("email:alice@contoso.test", text)
            self.assertIn("Digital Signature, Non Repudiation, Key Encipherment", text)
            self.assertIn("E-mail Protection", text)
            self.assertIn("CN = Alice", text)
            serial = openssl("x509", "-in", leaf["cert"], "-noout", "-serial").stdout.strip()
            self.assertEqual(serial, "serial=" + leaf["serial"])
            # the key belongs to the certificate
            pub_cert = openssl("x509", "-in", leaf["cert"], "-noout", "-pubkey").stdout
            pub_key = openssl("pkey", "-in", leaf["key"], "-pubout").stdout
            self.assertEqual(pub_cert, pub_key)

    def test_intermediate_chain_ec_keys_urls_and_usages(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            init = ok("init", "--dir", ca, "--intermediate", "--key", "p256",
                      "--crl-url", "http://127.0.0.1:1/root.crl")
            self.assertIn("intermediate", init)
            leaf = ok("issue", "--dir", ca, "--email", "bob@contoso.test", "--key", "p384",
                      "--usage", "encrypt", "--crl-url", "http://127.0.0.1:1/inter.crl",
                      "--aia-url", "http://127.0.0.1:1/inter.cer", "--ocsp-url",
                      "http://127.0.0.1:1/ocsp", "--out-cert", os.path.join(d, "bob.pem"))
            r = openssl("verify", "-CAfile", init["root"], "-untrusted", init["intermediate"],
                        os.path.join(d, "bob.pem"))
            self.assertIn(": OK", r.stdout)
            text = openssl("x509", "-in", leaf["cert"], "-noout", "-text").stdout
            self.assertIn("Key Agreement", text)
            self.assertNotIn("Digital Signature", text)
            self.assertIn("URI:http://127.0.0.1:1/inter.crl", text)
            self.assertIn("CA Issuers - URI:http://127.0.0.1:1/inter.cer", text)
            self.assertIn("OCSP - URI:http://127.0.0.1:1/ocsp", text)
            self.assertIn("ASN1 OID: secp384r1", text)
            itext = openssl("x509", "-in", init["intermediate"], "-noout", "-text").stdout
            self.assertIn("CA:TRUE, pathlen:0", itext)
            self.assertIn("URI:http://127.0.0.1:1/root.crl", itext)
            self.assertIn("Certificate Sign, CRL Sign", itext)

    def test_sign_only_eku_options_validity_and_subject_email(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            ok("init", "--dir", ca)
            leaf = ok("issue", "--dir", ca, "--email", "c@contoso.test", "--usage", "sign",
                      "--eku", "serverAuth", "--not-before", "2020-01-01", "--days", "30",
                      "--subject-email", "--no-san")
            text = openssl("x509", "-in", leaf["cert"], "-noout", "-text").stdout
            self.assertIn("TLS Web Server Authentication", text)
            self.assertNotIn("Key Encipherment", text)
            self.assertNotIn("Subject Alternative Name", text)
            self.assertIn("emailAddress = c@contoso.test", text)
            self.assertIn("Not Before: Jan  1 00:00:00 2020 GMT", text)
            self.assertIn("Not After : Jan 31 00:00:00 2020 GMT", text)
            none = ok("issue", "--dir", ca, "--email", "d@contoso.test", "--eku", "none")
            self.assertNotIn("Extended Key Usage",
                             openssl("x509", "-in", none["cert"], "-noout", "-text").stdout)
            self.assertNotEqual(none["serial"], leaf["serial"])

    def test_pkcs12_output_opens_with_openssl(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            ok("init", "--dir", ca, "--intermediate")
            pw = os.path.join(d, "pw")
            with open(pw, "w") as f:
                f.write("s3cret pass\n")
            p12 = os.path.join(d, "alice.p12")
            ok("issue", "--dir", ca, "--email", "alice@contoso.test", "--out-p12", p12,
               "--password-file", pw, "--out-key", os.path.join(d, "k.pem"))
            r = openssl("pkcs12", "-in", p12, "-passin", "file:" + pw, "-nodes")
            self.assertIn("-----BEGIN PRIVATE KEY-----", r.stdout)
            self.assertEqual(r.stdout.count("-----BEGIN CERTIFICATE-----"), 3)
            self.assertIn("alice@contoso.test", r.stdout)
            bad = os.path.join(d, "bad")
            with open(bad, "w") as f:
                f.write("wrong\n")
            self.assertNotEqual(
                openssl("pkcs12", "-in", p12, "-passin", "file:" + bad, "-nodes", check=False)
                .returncode, 0)
            self.assertEqual(os.stat(p12).st_mode & 0o777, 0o600)

    def test_revoke_and_crl_list_the_serial(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            init = ok("init", "--dir", ca)
            a = ok("issue", "--dir", ca, "--email", "a@contoso.test")
            b = ok("issue", "--dir", ca, "--email", "b@contoso.test")
            crl0 = os.path.join(d, "0.crl")
            ok("crl", "--dir", ca, "--out", crl0)
            t0 = openssl("crl", "-inform", "DER", "-in", crl0, "-noout", "-text").stdout
            self.assertIn("No Revoked Certificates", t0)
            self.assertEqual(ok("revoke", "--dir", ca, "--serial", a["serial"].lower())["revoked"],
                             a["serial"])
            ok("revoke", "--dir", ca, "--cert", b["cert"], "--reason", "keyCompromise")
            crl = os.path.join(d, "1.crl")
            ok("crl", "--dir", ca, "--out", crl, "--next-update-days", "2")
            t = openssl("crl", "-inform", "DER", "-in", crl, "-noout", "-text").stdout
            self.assertIn("Serial Number: " + a["serial"], t)
            self.assertIn("Serial Number: " + b["serial"], t)
            self.assertIn("Key Compromise", t)
            number = lambda text: int(re.search(r"X509v3 CRL Number: *\n *(\d+)", text).group(1))
            self.assertEqual(number(t), number(t0) + 1)
            self.assertIn("X509v3 Authority Key Identifier", t)
            # signed by the CA, and openssl's CRL check now rejects the revoked leaf
            openssl("crl", "-inform", "DER", "-in", crl, "-noout", "-CAfile", init["root"])
            pem_crl = os.path.join(d, "1.crl.pem")
            openssl("crl", "-inform", "DER", "-in", crl, "-out", pem_crl)
            bundle = os.path.join(d, "bundle.pem")
            with open(bundle, "w") as f:
                f.write(open(init["root"]).read() + open(pem_crl).read())
            r = openssl("verify", "-crl_check", "-CAfile", bundle, a["cert"], check=False)
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("revoked", r.stdout + r.stderr)

    def test_crl_of_root_lists_a_revoked_intermediate(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            init = ok("init", "--dir", ca, "--intermediate")
            ok("revoke", "--dir", ca, "--cert", init["intermediate"])
            leaf_crl = os.path.join(d, "i.crl")
            root_crl = os.path.join(d, "r.crl")
            ok("crl", "--dir", ca, "--out", leaf_crl)
            ok("crl", "--dir", ca, "--out", root_crl, "--ca", "root")
            self.assertIn("No Revoked Certificates", openssl(
                "crl", "-inform", "DER", "-in", leaf_crl, "-noout", "-text").stdout)
            iserial = openssl("x509", "-in", init["intermediate"], "-noout",
                              "-serial").stdout.strip().split("=")[1]
            self.assertIn("Serial Number: " + iserial, openssl(
                "crl", "-inform", "DER", "-in", root_crl, "-noout", "-text").stdout)

    def test_errors_are_one_line_with_exit_codes(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            r = run("pki", "issue", "--dir", ca, "--email", "a@contoso.test")
            self.assertEqual(r.returncode, 1)
            self.assertIn("not a test PKI directory", r.stderr)
            ok("init", "--dir", ca)
            r = run("pki", "init", "--dir", ca)
            self.assertEqual(r.returncode, 1)
            self.assertIn("already initialised", r.stderr)
            cases = [
                (["pki"], "usage"),
                (["pki", "frob", "--dir", ca], 'unknown pki command "frob"'),
                (["pki", "issue", "--dir", ca], "needs --email"),
                (["pki", "issue", "--dir", ca, "--email", "x@y", "--key", "dsa"], "--key must be"),
                (["pki", "issue", "--dir", ca, "--email", "x@y", "--usage", "all"], "--usage must be"),
                (["pki", "issue", "--dir", ca, "--email", "x@y", "--not-before", "yesterday"],
                 "bad time"),
                (["pki", "issue", "--dir", ca, "--email", "x@y", "--out-p12", "f"],
                 "--out-p12 needs --password-file"),
                (["pki", "revoke", "--dir", ca], "--serial HEX or --cert"),
                (["pki", "revoke", "--dir", ca, "--serial", "zz"], "bad serial"),
                (["pki", "crl", "--dir", ca], "--out"),
                (["pki", "issue", "--email", "x@y"], "--dir DIR is required"),
                (["pki", "issue", "--dir", ca, "--bogus"], "unknown option --bogus"),
            ]
            for args, text in cases:
                r = run(*args)
                self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
                self.assertIn(text, r.stderr, args)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            r = run("pki", "revoke", "--dir", ca, "--serial", "01")
            self.assertEqual(r.returncode, 1)
            self.assertIn("was not issued", r.stderr)
            a = ok("issue", "--dir", ca, "--email", "a@contoso.test")
            ok("revoke", "--dir", ca, "--serial", a["serial"])
            r = run("pki", "revoke", "--dir", ca, "--serial", a["serial"])
            self.assertEqual(r.returncode, 1)
            self.assertIn("already revoked", r.stderr)
            r = run("pki", "revoke", "--dir", ca, "--cert", os.path.join(d, "missing.pem"))
            self.assertEqual(r.returncode, 1)

    def test_parallel_issues_on_one_directory_get_distinct_serials(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            ok("init", "--dir", ca, "--key", "p256")
            results = []

            def issue(i):
                results.append(ok("issue", "--dir", ca, "--email", f"u{i}@contoso.test",
                                  "--key", "p256")["serial"])

            threads = [threading.Thread(target=issue, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(len(set(results)), 4, results)

    def test_crl_with_past_this_update_is_stale(self):
        with workdir() as d:
            ca = os.path.join(d, "ca")
            ok("init", "--dir", ca)
            crl = os.path.join(d, "old.crl")
            ok("crl", "--dir", ca, "--out", crl, "--this-update", "-10d", "--next-update-days", "3")
            t = openssl("crl", "-inform", "DER", "-in", crl, "-noout", "-lastupdate",
                        "-nextupdate").stdout
            import datetime
            last = datetime.datetime.strptime(t.splitlines()[0].split("=", 1)[1],
                                              "%b %d %H:%M:%S %Y GMT")
            nxt = datetime.datetime.strptime(t.splitlines()[1].split("=", 1)[1],
                                             "%b %d %H:%M:%S %Y GMT")
            self.assertEqual((nxt - last).days, 3)
            self.assertLess(nxt, datetime.datetime.utcnow())
