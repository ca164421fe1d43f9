"""`smimegw groups` and `smimegw resolve` against a scratch database, the trust collection and a
private slapd (tests/support/slapd/start.sh); `check-config` on bad LDAP endpoints."""
import json
import os
import subprocess
import unittest

from gateway import psql, run, scratch_database, workdir, write_config
from ldap import Slapd, der_of


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


class Env:
    def __init__(self, test):
        self.d = test.enterContext(workdir())
        self.url, self.db = test.enterContext(scratch_database())
        self.slapd = Slapd(os.path.join(self.d, "slapd"))
        self.ldap_port = self.slapd.port
        self.config, _ = write_config(
            self.d, self.url,
            f'trust: {{revocation: prefer}}\n'
            f'ldap: {{endpoints: ["127.0.0.1:{self.ldap_port}"], search_timeout_ms: 2000}}\n')
        r = run("migrate", "-c", self.config)
        assert r.returncode == 0, r.stderr
        self.ca = os.path.join(self.d, "ca")
        init = pki("init", "--dir", self.ca, "--key", "p256")
        r = run("trust", "add", init["root"], "-c", self.config)
        assert r.returncode == 0, r.stderr
        test.addCleanup(self.slapd.stop)

    def cli(self, *args):
        return run(*args, "-c", self.config)

    def issue(self, email):
        return pki("issue", "--dir", self.ca, "--email", email, "--key", "p256")["cert"]

    def gal(self, address, cert_pem):
        der = der_of(cert_pem)
        thumb = subprocess.run(["openssl", "x509", "-in", cert_pem, "-noout", "-fingerprint",
                                "-sha1"], check=True, capture_output=True, text=True)
        thumb = thumb.stdout.strip().split("=", 1)[1].replace(":", "")
        psql("INSERT INTO user_certificates (user_id, der, thumbprint, usage, not_before, "
             f"not_after, source) SELECT id, '\\x{der.hex()}', '{thumb}', 'both', now() - "
             f"interval '1 day', now() + interval '1 year', 'import' FROM users WHERE address = "
             f"'{address}'", db=self.db)



class DirectoryCliTest(unittest.TestCase):
    def test_groups_add_members_list_and_expand(self):
        e = Env(self)
        for u in ("alice@contoso.test", "bob@contoso.test"):
            self.assertEqual(e.cli("users", "add", u).returncode, 0)
        r = e.cli("groups", "add", "All@Contoso.test", "--name", "Everyone")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("all@contoso.test", r.stdout)
        self.assertEqual(e.cli("groups", "add", "sales@contoso.test").returncode, 0)
        dup = e.cli("groups", "add", "alice@contoso.test")
        self.assertEqual(dup.returncode, 1)
        self.assertIn("db_duplicate", dup.stderr)
        r = e.cli("groups", "members", "all@contoso.test", "--add", "alice@contoso.test",
                  "--add", "sales@contoso.test", "--add", "x@partner.test")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["user alice@contoso.test",
                                                 "group sales@contoso.test",
                                                 "external x@partner.test"])
        r = e.cli("groups", "members", "sales@contoso.test", "--add", "bob@contoso.test",
                  "--add", "all@contoso.test")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = e.cli("groups", "members", "all@contoso.test", "--remove", "x@partner.test")
        self.assertEqual(len(r.stdout.splitlines()), 2)
        bad = e.cli("groups", "members", "all@contoso.test", "--remove", "x@partner.test")
        self.assertEqual(bad.returncode, 1)
        self.assertIn("not_a_member", bad.stderr)
        r = e.cli("groups", "list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("all@contoso.test\t2 member(s)\tEveryone", r.stdout)
        r = e.cli("groups", "expand", "all@contoso.test", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertTrue(out["complete"])
        self.assertEqual([(m["address"], m["path"]) for m in out["members"]],
                         [("alice@contoso.test", ["all@contoso.test"]),
                          ("bob@contoso.test", ["all@contoso.test", "sales@contoso.test"])])
        self.assertEqual([p["code"] for p in out["problems"]], ["cycle"])
        r = e.cli("groups", "expand", "all@contoso.test")
        self.assertIn("bob@contoso.test\tuser\tvia all@contoso.test > sales@contoso.test",
                      r.stdout)
        self.assertEqual(e.cli("groups", "expand", "nobody@contoso.test").returncode, 1)
        self.assertEqual(e.cli("groups", "frobnicate").returncode, 2)

    def test_resolve_gal_ldap_group_and_missing(self):
        e = Env(self)
        self.assertEqual(e.cli("users", "add", "alice@contoso.test").returncode, 0)
        e.gal("alice@contoso.test", e.issue("alice@contoso.test"))
        e.slapd.start([("ext", "ext@partner.test", e.issue("ext@partner.test")),
                       ("alice", "alice@contoso.test", e.issue("alice@contoso.test"))])
        self.assertEqual(e.cli("groups", "add", "team@contoso.test").returncode, 0)
        e.cli("groups", "members", "team@contoso.test", "--add", "alice@contoso.test", "--add",
              "ext@partner.test", "--add", "nobody@partner.test")
        r = e.cli("resolve", "alice@contoso.test", "ext@partner.test")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("alice@contoso.test: gal ", r.stdout)
        self.assertIn(f"ext@partner.test: ldap:127.0.0.1:{e.ldap_port} ", r.stdout)
        r = e.cli("resolve", "team@contoso.test", "--json", "--sender", "alice@contoso.test")
        self.assertEqual(r.returncode, 1, r.stderr)
        out = {x["address"]: x for x in json.loads(r.stdout)}
        self.assertEqual(out["alice@contoso.test"]["certificate"]["source"], "gal")
        self.assertEqual(out["alice@contoso.test"]["via"], ["team@contoso.test"])
        self.assertTrue(out["ext@partner.test"]["resolved"])
        self.assertEqual(out["nobody@partner.test"]["reason"], "no_certificate")
        e.slapd.stop()
        r = e.cli("resolve", "ext@partner.test", "--json")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(json.loads(r.stdout)[0]["reason"], "ldap_unavailable")

    def test_bad_ldap_endpoint_is_a_configuration_error(self):
        d = self.enterContext(workdir())
        config, _ = write_config(d, "host=/nonexistent", 'ldap: {endpoints: ["ldap://ok", '
                                 '"ftp://dir.example.com"]}\n')
        r = run("check-config", "-c", config)
        self.assertEqual(r.returncode, 2)
        self.assertIn('ldap.endpoints[1]: "ftp://dir.example.com": unsupported scheme',
                      r.stderr)
        r = run("resolve", "a@b.test", "-c", config)
        self.assertEqual(r.returncode, 2)
        self.assertIn("ldap.endpoints[1]", r.stderr)


if __name__ == "__main__":
    unittest.main()
