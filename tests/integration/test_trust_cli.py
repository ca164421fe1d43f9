"""`smimegw trust`: importing PEM, DER, PKCS#7 (.p7b) and serialized stores (.sst) into the
configured database, per-certificate outcomes, list/enable/disable/remove, and bad input."""
import json
import os
import struct
import subprocess
import unittest

from gateway import run, scratch_database, workdir, write_config


def sh(*args):
    r = subprocess.run(list(args), capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"{args} failed: {r.stderr.decode()}")
    return r.stdout


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


class Env:
    """A scratch database with the schema applied, a config, and a test PKI."""

    def __init__(self, d, db_url):
        self.d = d
        self.config, _ = write_config(d, db_url)
        r = run("migrate", "-c", self.config)
        assert r.returncode == 0, r.stderr
        self.ca = os.path.join(d, "ca")
        self.init = pki("init", "--dir", self.ca, "--name", "Trust IT Root", "--intermediate")

    def trust(self, *args):
        return run("trust", *args, "-c", self.config)

    def listing(self):
        r = self.trust("list", "--json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    def path(self, name):
        return os.path.join(self.d, name)


class TrustCliTest(unittest.TestCase):
    def env(self):
        d = self.enterContext(workdir())
        url, _ = self.enterContext(scratch_database())
        return Env(d, url)

    def test_add_pem_der_and_p7b_then_list_json(self):
        e = self.env()
        root_der = e.path("root.der")
        sh("openssl", "x509", "-in", e.init["root"], "-outform", "DER", "-out", root_der)
        r = e.trust("add", root_der, "--by", "admin")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("DER certificate: added id=1 CN=Trust IT Root", r.stdout)
        p7b = e.path("chain.p7b")
        sh("openssl", "crl2pkcs7", "-nocrl", "-certfile", e.init["root"], "-certfile",
           e.init["intermediate"], "-outform", "DER", "-out", p7b)
        r = e.trust("add", p7b)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("certificate 1: duplicate id=1", r.stdout)
        self.assertIn("certificate 2: added id=2 CN=Trust IT Root Intermediate", r.stdout)
        self.assertIn("added 1, duplicate 1, refused 0", r.stdout)
        listing = e.listing()
        self.assertEqual([a["id"] for a in listing], [1, 2])
        self.assertEqual(listing[0]["subject"], "CN=Trust IT Root, O=smimegw test PKI")
        self.assertTrue(listing[0]["is_root"])
        self.assertFalse(listing[1]["is_root"])
        self.assertEqual(listing[1]["issuer"], listing[0]["subject"])
        self.assertEqual(listing[0]["added_by"], "admin")
        self.assertTrue(all(a["enabled"] for a in listing))
        fp = sh("openssl", "x509", "-in", e.init["root"], "-noout", "-fingerprint",
                "-sha256").decode().split("=")[1].strip().replace(":", "").lower()
        self.assertEqual(listing[0]["sha256"], fp)
        # PEM armour of a p7b
        p7pem = e.path("chain.p7c")
        sh("openssl", "crl2pkcs7", "-nocrl", "-certfile", e.init["intermediate"], "-out", p7pem)
        r = e.trust("add", p7pem)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("PEM block 1 certificate 1: duplicate id=2", r.stdout)
        text = e.trust("list")
        self.assertEqual(text.returncode, 0)
        self.assertEqual(len(text.stdout.splitlines()), 2)
        self.assertIn("root", text.stdout)

    def test_pem_bundle_reports_duplicate_not_ca_and_expired(self):
        e = self.env()
        leaf = pki("issue", "--dir", e.ca, "--email", "a@contoso.test")
        old = os.path.join(e.d, "old")
        old_init = pki("init", "--dir", old, "--name", "Old Root", "--not-before", "2001-01-01",
                       "--days", "365")
        bundle = e.path("bundle.pem")
        with open(bundle, "w") as f:
            for p in (e.init["root"], e.init["root"], leaf["cert"], old_init["root"],
                      e.init["intermediate"]):
                f.write(open(p).read())
        r = e.trust("add", bundle)
        self.assertEqual(r.returncode, 1)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"PEM block 1: added id=\d+ CN=Trust IT Root")
        self.assertIn("PEM block 2: duplicate", lines[1])
        self.assertIn("PEM block 3: not_ca CN=a@contoso.test", lines[2])
        self.assertIn("PEM block 4: expired CN=Old Root", lines[3])
        self.assertIn("expired 2002-01-01T00:00:00Z", lines[3])
        self.assertIn("PEM block 5: added", lines[4])
        self.assertEqual(lines[5], "added 2, duplicate 1, refused 2")
        self.assertEqual(len(e.listing()), 2)

    def test_serialized_store_sst_built_byte_by_byte(self):
        e = self.env()
        root = sh("openssl", "x509", "-in", e.init["root"], "-outform", "DER")
        inter = sh("openssl", "x509", "-in", e.init["intermediate"], "-outform", "DER")

        def element(prop, data):
            return struct.pack("<III", prop, 1, len(data)) + data

        sst = b"\x00\x00\x00\x00CERT"
        sst += element(0x0B, "Root".encode("utf-16-le") + b"\x00\x00")  # friendly name
        sst += element(0x20, root)
        sst += element(0x03, b"\x11" * 20)  # SHA-1 hash property
        sst += element(0x20, inter)
        sst += struct.pack("<III", 0, 0, 0)
        path = e.path("store.sst")
        with open(path, "wb") as f:
            f.write(sst)
        r = e.trust("add", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("SST element 2 at offset 30: added id=1", r.stdout)
        self.assertIn("SST element 4", r.stdout)
        self.assertEqual(len(e.listing()), 2)
        # the same certificates as an Export-Certificate -Type SST file (PKCS#7) are duplicates
        p7 = e.path("export.sst")
        sh("openssl", "crl2pkcs7", "-nocrl", "-certfile", e.init["root"], "-outform", "DER",
           "-out", p7)
        r = e.trust("add", p7)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("duplicate id=1", r.stdout)
        # a truncated store is malformed
        with open(path, "wb") as f:
            f.write(sst[:60])
        r = e.trust("add", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn("malformed", r.stderr)
        self.assertIn("runs past the end of the file", r.stderr)

    def test_disable_enable_remove(self):
        e = self.env()
        self.assertEqual(e.trust("add", e.init["root"], e.init["intermediate"]).returncode, 0)
        r = e.trust("disable", "2")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "disabled 2")
        self.assertEqual([a["enabled"] for a in e.listing()], [True, False])
        enabled_only = json.loads(e.trust("list", "--json", "--enabled").stdout)
        self.assertEqual([a["id"] for a in enabled_only], [1])
        self.assertEqual(e.trust("enable", "2").returncode, 0)
        self.assertEqual([a["enabled"] for a in e.listing()], [True, True])
        r = e.trust("remove", "1")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stdout.strip(), "removed 1")
        self.assertEqual([a["id"] for a in e.listing()], [2])
        for verb in ("remove", "disable", "enable"):
            r = e.trust(verb, "1")
            self.assertEqual(r.returncode, 1)
            self.assertIn("no trust anchor with id 1", r.stderr)
        # removed, it can be added again (new id)
        r = e.trust("add", e.init["root"])
        self.assertIn("added id=3", r.stdout)

    def test_bad_input_and_usage_errors(self):
        e = self.env()
        garbage = e.path("garbage.bin")
        with open(garbage, "wb") as f:
            f.write(os.urandom(64).replace(b"\x30", b"\x31").replace(b"\x00", b"\x01"))
        r = e.trust("add", garbage, e.path("missing.pem"), e.init["root"])
        self.assertEqual(r.returncode, 1)
        err = r.stderr.strip().splitlines()
        self.assertIn(garbage + ": malformed: not a certificate file", err[0])
        self.assertIn("missing.pem: cannot read: No such file or directory", err[1])
        self.assertIn("added id=1", r.stdout)  # the good file is still imported
        r = e.trust("add", e.d)
        self.assertEqual(r.returncode, 1)
        self.assertIn(e.d + ": cannot read: Is a directory", r.stderr)
        empty = e.path("empty.pem")
        open(empty, "w").close()
        r = e.trust("add", empty)
        self.assertEqual(r.returncode, 1)
        self.assertIn("malformed: the file is empty", r.stderr)
        for args, text in [(["trust"], "usage: smimegw trust"),
                           (["trust", "frob"], "usage: smimegw trust"),
                           (["trust", "add"], "give one or more certificate files"),
                           (["trust", "remove", "x"], 'bad ID "x"'),
                           (["trust", "remove"], "give exactly one ID"),
                           (["trust", "add", "f", "--enabled"], "--enabled to trust list"),
                           (["trust", "remove", "1", "--json"], "--json belongs to"),
                           (["trust", "list", "--bogus"], "unknown option --bogus")]:
            r = run(*args, "-c", e.config)
            self.assertEqual(r.returncode, 2, f"{args}: {r.stderr}")
            self.assertIn(text, r.stderr)

    def test_unmigrated_database_is_refused(self):
        d = self.enterContext(workdir())
        url, _ = self.enterContext(scratch_database())
        config, _ = write_config(d, url)
        r = run("trust", "list", "-c", config)
        self.assertEqual(r.returncode, 1)
        self.assertIn("smimegw migrate", r.stderr)

    def test_v1_self_signed_root_is_accepted_as_a_root(self):
        e = self.env()
        key, csr, cert = e.path("v1.key"), e.path("v1.csr"), e.path("v1.pem")
        sh("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
           "-nodes", "-keyout", key, "-subj", "/CN=V1 Root", "-out", csr)
        sh("openssl", "x509", "-req", "-in", csr, "-signkey", key, "-days", "30", "-out", cert)
        self.assertIn("Version: 1", sh("openssl", "x509", "-in", cert, "-noout", "-text").decode())
        r = e.trust("add", cert)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("added id=1 CN=V1 Root (root)", r.stdout)
        self.assertTrue(e.listing()[0]["is_root"])

    def test_add_json_reports_each_certificate_and_file_errors(self):
        e = self.env()
        leaf = pki("issue", "--dir", e.ca, "--email", "j@contoso.test")
        bundle = e.path("b.pem")
        with open(bundle, "w") as f:
            f.write(open(e.init["root"]).read() + open(leaf["cert"]).read())
        r = e.trust("add", "--json", bundle, e.path("nope.pem"))
        self.assertEqual(r.returncode, 1)
        items = json.loads(r.stdout)
        self.assertEqual([i["status"] for i in items], ["added", "not_ca", "error"])
        self.assertEqual(items[0]["id"], 1)
        self.assertTrue(items[0]["is_root"])
        self.assertEqual(items[0]["origin"], "PEM block 1")
        self.assertEqual(len(items[0]["sha256"]), 64)
        self.assertIsNone(items[1]["id"])
        self.assertEqual(items[2]["detail"], "unreadable")
        self.assertIn("No such file", items[2]["message"])
