"""`smimegw labels` and `smimegw smime-config`: importing the example catalog into a real database,
listing and showing it, validation errors that name file, line and field (and import nothing),
replacement on re-import, and the S/MIME settings show/set with the PATCH validation."""
import json
import os
import unittest

from gateway import SOURCE_DIR, psql, run, scratch_database, workdir, write_config

EXAMPLE = os.path.join(SOURCE_DIR, "config", "labels.example.yaml")
GENERAL = "7a3b1c52-4d0e-4f6a-9b1c-2d3e4f5a6b70"
HIGHLY = "9c8b7a69-5847-4362-a150-4f3e2d1c0b9a"


class Env:
    def __init__(self, d, db_url, db_name):
        self.d = d
        self.db = db_name
        self.config, _ = write_config(d, db_url)
        r = run("migrate", "-c", self.config)
        assert r.returncode == 0, r.stderr

    def labels(self, *args):
        return run("labels", *args, "-c", self.config)

    def smime(self, *args):
        return run("smime-config", *args, "-c", self.config)

    def listing(self):
        r = self.labels("list", "--json")
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    def write(self, name, text):
        path = os.path.join(self.d, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class LabelsCliTest(unittest.TestCase):
    def env(self):
        d = self.enterContext(workdir())
        url, name = self.enterContext(scratch_database())
        return Env(d, url, name)

    def test_import_example_then_list_and_show(self):
        e = self.env()
        r = e.labels("import", EXAMPLE)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "imported 3 labels, 2 policies (1 mandatory)\n")
        self.assertIn("event=label_catalog_imported", r.stderr)
        listing = e.listing()
        self.assertEqual([l["name"] for l in listing["labels"]],
                         ["HighlyConfidential", "Confidential", "General"])
        high = listing["labels"][0]
        self.assertEqual(high["id"], HIGHLY)
        self.assertEqual(high["display_name"], "Highly Confidential")
        self.assertEqual(high["protection"], "encrypt")
        self.assertEqual(high["rights"], ["view", "reply", "reply-all"])
        self.assertEqual(high["scope"], {"internal_only": True, "domains": []})
        self.assertEqual(high["content_expiry_days"], 30)
        self.assertEqual(high["marking"]["header"], "${Item.Label} - do not forward")
        self.assertEqual(high["published_by"], ["Legal", "Everyone"])  # policy priority order
        conf = listing["labels"][1]
        self.assertEqual(conf["scope"]["domains"], ["fabrikam.test", "*.partner.test"])
        self.assertEqual(listing["labels"][2]["rights"],
                         ["view", "edit", "print", "copy", "forward", "reply", "reply-all"])
        legal = listing["policies"][0]
        self.assertEqual(legal["name"], "Legal")
        self.assertTrue(legal["mandatory"])
        self.assertEqual(legal["groups"], ["legal@contoso.test"])
        self.assertEqual(legal["users"], ["ceo@contoso.test"])
        self.assertEqual(legal["default_label"]["name"], "Confidential")
        self.assertEqual([l["name"] for l in legal["labels"]],
                         ["General", "Confidential", "HighlyConfidential"])
        self.assertTrue(listing["policies"][1]["all_users"])
        # the rows really are in PostgreSQL
        self.assertEqual(psql("SELECT count(*) FROM labels", db=e.db), "3")
        self.assertEqual(psql("SELECT array_to_string(rights, ',') FROM labels WHERE "
                              f"id = '{HIGHLY}'", db=e.db), "view,reply,reply-all")
        # text listing and show by name, by id (any case, braces) and a policy by name
        r = e.labels("list")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"20\t{HIGHLY}\tHighlyConfidential\tencrypt\tinternal-only\tLegal,Everyone",
                      r.stdout)
        r = e.labels("show", "highlyconfidential")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("display name:        Highly Confidential", r.stdout)
        self.assertIn("rights:              view, reply, reply-all", r.stdout)
        r = e.labels("show", "{" + GENERAL.upper() + "}", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(json.loads(r.stdout)["name"], "General")
        r = e.labels("show", "legal")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("default label: Confidential", r.stdout)
        r = e.labels("show", "Nope")
        self.assertEqual(r.returncode, 1)
        self.assertIn('no label or policy "Nope"', r.stderr)

    def test_invalid_file_names_line_and_field_and_imports_nothing(self):
        e = self.env()
        self.assertEqual(e.labels("import", EXAMPLE).returncode, 0)
        bad = e.write("bad.yaml", """labels:
  - id: not-a-guid
    name: "Semi;colon"
    priority: high
    colour: red
  - id: 11111111-1111-1111-1111-111111111111
    name: Other
    priority: 3
    marking: {header: "${Item.Name}"}
    rights: [view, delete]
    scope: {internal_only: true, domains: [x.test]}
policies:
  - name: P
    priority: 1
    labels: [Other, Ghost]
    default_label: Ghost
""")
        r = e.labels("import", bad)
        self.assertEqual(r.returncode, 2, r.stdout)
        err = r.stderr
        for expected in [
            f"{bad}:4:15: labels[0].priority: expected an integer",
            f"{bad}:5:5: labels[0].colour: unknown key",
            f"{bad}:10:20: labels[1].rights[1]: unknown right \"delete\"",
            f"{bad}:2:9: labels[0].id: not a GUID",
            f"{bad}:3:11: labels[0].name: must not contain ';' or '='",
            f"{bad}:9:23: labels[1].marking.header: unknown variable ${{Item.Name}}",
            f"{bad}:11:12: labels[1].scope: internal_only and domains exclude each other",
            f"{bad}:13:5: policies[0]: assigned to nobody",
            f"{bad}:15:21: policies[0].labels[1]: no such label Ghost",
            f"{bad}:16:20: policies[0].default_label: must be one of the labels",
            "nothing imported",
        ]:
            self.assertIn(expected, err)
        # the catalog imported before is untouched
        self.assertEqual(len(e.listing()["labels"]), 3)

    def test_reimport_replaces_the_catalog_and_dry_run_touches_nothing(self):
        e = self.env()
        self.assertEqual(e.labels("import", EXAMPLE).returncode, 0)
        small = e.write("small.yaml", f"""labels:
  - {{id: "{GENERAL.upper()}", name: Public, priority: 1}}
policies:
  - {{name: All, priority: 0, all_users: true, labels: [public], mandatory: true}}
""")
        r = run("labels", "import", "--dry-run", small)  # no configuration needed
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, f"{small}: valid: 1 labels, 1 policies (1 mandatory)\n")
        self.assertEqual(len(e.listing()["labels"]), 3)
        r = e.labels("import", small)
        self.assertEqual(r.returncode, 0, r.stderr)
        listing = e.listing()
        self.assertEqual([(l["id"], l["name"], l["display_name"]) for l in listing["labels"]],
                         [(GENERAL, "Public", "Public")])
        self.assertEqual([p["name"] for p in listing["policies"]], ["All"])
        self.assertEqual(psql("SELECT count(*) FROM label_policy_assignments", db=e.db), "0")

    def test_smime_config_show_and_set(self):
        e = self.env()
        r = e.smime("show", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        s = json.loads(r.stdout)
        self.assertEqual(s["encryptionAlgorithm"], "AES-256-CBC")
        self.assertEqual(s["signingAlgorithm"], "SHA-256")
        self.assertEqual(s["includeChain"], "withoutRoot")
        self.assertFalse(s["alwaysSign"])
        self.assertEqual(s["crlConnectionTimeoutMs"], 60000)
        self.assertEqual(s["version"], 1)
        r = e.smime("set", "alwaysSign=true", "encryptionAlgorithm=aes-128-gcm",
                    "includeChain=withRoot", "signAllUserChangeAllowed=false")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("alwaysSign: false -> true", r.stdout)
        self.assertIn("encryptionAlgorithm: AES-256-CBC -> AES-128-GCM", r.stdout)
        self.assertIn("event=smime_setting_changed key=alwaysSign", r.stderr)
        s = json.loads(e.smime("show", "--json").stdout)
        self.assertTrue(s["alwaysSign"])
        self.assertEqual(s["encryptionAlgorithm"], "AES-128-GCM")
        self.assertEqual(s["includeChain"], "withRoot")
        self.assertFalse(s["signAllUserChangeAllowed"])
        self.assertEqual(s["version"], 2)
        self.assertEqual(psql("SELECT encryption_algorithm FROM smime_settings", db=e.db),
                         "AES-128-GCM")
        # every bad pair named, nothing applied
        r = e.smime("set", "alwaysEncrypt=true", "signingAlgorithm=SHA-1",
                    "dlExpansionTimeoutMs=0", "bogus=1", "noequals")
        self.assertEqual(r.returncode, 2)
        self.assertIn("smime-config set: noequals: expected KEY=VALUE", r.stderr)
        r = e.smime("set", "alwaysEncrypt=true", "signingAlgorithm=SHA-1",
                    "dlExpansionTimeoutMs=0", "bogus=1")
        self.assertEqual(r.returncode, 2)
        self.assertIn('signingAlgorithm: "SHA-1" is not one of SHA-256, SHA-384, SHA-512',
                      r.stderr)
        self.assertIn("dlExpansionTimeoutMs: must be between 1 and 600000 ms", r.stderr)
        self.assertIn("bogus: unknown setting", r.stderr)
        s = json.loads(e.smime("show", "--json").stdout)
        self.assertFalse(s["alwaysEncrypt"])
        self.assertEqual(s["version"], 2)
        r = e.smime("show")
        self.assertIn("oneCopyPerBcc = true\n", r.stdout)

    def test_usage_errors(self):
        e = self.env()
        for args in (["labels"], ["labels", "list", "extra"], ["labels", "show"],
                     ["labels", "import"], ["labels", "list", "--dry-run"],
                     ["smime-config", "set"], ["smime-config", "show", "x"],
                     ["smime-config", "frobnicate"]):
            r = run(*args, "-c", e.config)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("usage:", r.stderr)
        r = e.labels("import", os.path.join(e.d, "missing.yaml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot read the file", r.stderr)


if __name__ == "__main__":
    unittest.main()
