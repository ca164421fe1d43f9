"""The admin API's policy routes through the real daemon: the label catalog (/admin/v1/labels and
/admin/v1/label-policies, the catalog file's field names as JSON; single-entry changes validated
inside the whole catalog; PUT replaces it like `smimegw labels import`; the catalog version as
ETag and If-Match on every write), and the S/MIME settings
(/admin/v1/smime-config, the merge of `smimegw smime-config set`: all or nothing, every error
named by its field)."""
import json
import os
import unittest

from gateway import run, scratch_database, workdir
from test_admin_api import AdminEnv

SOURCE = os.environ.get("SMIMEGW_SOURCE_DIR", os.getcwd())
GENERAL = "7a3b1c52-4d0e-4f6a-9b1c-2d3e4f5a6b70"
SECRET = "3c2b1a09-8f7e-4d6c-9b5a-493827160504"


def example_catalog():
    """config/labels.example.yaml as JSON (the CLI's own --json rendering, input-shaped)."""
    import yaml  # the test side may use PyYAML; the gateway reads the same text with yaml-cpp
    with open(os.path.join(SOURCE, "config", "labels.example.yaml")) as f:
        return yaml.safe_load(f)


class AdminPolicyTest(unittest.TestCase):
    def assertError(self, result, status, code, message_part=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(body["error"]["code"], code, body)
        if message_part:
            self.assertIn(message_part, body["error"]["message"])

    def test_label_catalog_replace_create_patch_delete(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                st, _, body = env.call("GET", "/admin/v1/labels")
                self.assertEqual((st, body), (200, {"value": []}))
                st, _, r = env.call("PUT", "/admin/v1/labels", body=example_catalog())
                self.assertEqual((st, r), (200, {"labels": 3, "policies": 2}))
                cli = run("labels", "list", "--json", "-c", env.cfg)
                self.assertEqual(cli.returncode, 0, cli.stderr)
                listed = json.loads(cli.stdout)
                st, _, labels = env.call("GET", "/admin/v1/labels")
                self.assertEqual(labels["value"], listed["labels"])  # same shape as the CLI
                self.assertEqual([x["name"] for x in labels["value"]],
                                 ["HighlyConfidential", "Confidential", "General"])
                st, _, p1 = env.call("GET", "/admin/v1/labels?top=2")
                self.assertEqual(p1["nextLink"], "/admin/v1/labels?top=2&skip=2")
                self.assertEqual(len(env.call("GET", p1["nextLink"])[2]["value"]), 1)
                # a bad catalog names the field and changes nothing
                bad = example_catalog()
                bad["labels"][1]["scope"]["domains"][0] = "not a domain"
                bad["policies"][0]["labels"].append("Nope")
                st, _, err = env.call("PUT", "/admin/v1/labels", body=bad)
                self.assertEqual(st, 400, err)
                self.assertEqual(err["error"]["code"], "validation_failed")
                self.assertIn("labels[1].scope.domains[0]: ", err["error"]["message"])
                self.assertIn("policies[0].labels[3]: ", err["error"]["message"])
                self.assertError(env.call("PUT", "/admin/v1/labels", body={"labelz": []}), 400,
                                 "validation_failed", "labelz: unknown key")
                self.assertEqual(env.sql("SELECT count(*) FROM labels"), "3")
                # get by id (any spelling) or by name
                st, _, g = env.call("GET", "/admin/v1/labels/" + GENERAL.upper())
                self.assertEqual((st, g["name"], g["published_by"]), (200, "General",
                                                                      ["Legal", "Everyone"]))
                self.assertEqual(env.call("GET", "/admin/v1/labels/confidential")[2]["priority"], 10)
                self.assertError(env.call("GET", "/admin/v1/labels/Missing"), 404, "not_found")
                # create one label; errors name the body's own fields
                new = {"id": SECRET, "name": "Secret", "display_name": "Secret", "priority": 30,
                       "protection": "encrypt", "rights": ["view"],
                       "scope": {"internal_only": True}, "marking": {"header": "SECRET ${Item.Label}"}}
                st, h, s = env.call("POST", "/admin/v1/labels", body=new)
                self.assertEqual(st, 201, s)
                self.assertEqual((s["id"], s["rights"], s["published_by"]), (SECRET, ["view"], []))
                self.assertEqual(h["location"], "/admin/v1/labels/" + SECRET)
                self.assertError(env.call("POST", "/admin/v1/labels", body=new), 400,
                                 "validation_failed", "id: ")
                self.assertError(env.call("POST", "/admin/v1/labels", body={
                    "name": "Dup", "priority": 20}), 400, "validation_failed", "priority: ")
                self.assertError(env.call("POST", "/admin/v1/labels", body={
                    "name": "NoPriority"}), 400, "validation_failed", "priority: missing")
                self.assertError(env.call("POST", "/admin/v1/labels", body={
                    "name": "R", "priority": 40, "rights": ["view", "fly"]}), 400,
                    "validation_failed", "rights[1]: unknown right")
                self.assertError(env.call("POST", "/admin/v1/labels", body={
                    "name": "M", "priority": 41, "marking": {"header": "${Nope}"}}), 400,
                    "validation_failed", "marking.header")
                self.assertError(env.call("POST", "/admin/v1/labels", body={
                    "name": "X", "priority": 42, "colour": "red"}), 400,
                    "validation_failed", "colour: unknown key")
                st, _, gen = env.call("POST", "/admin/v1/labels", body={"name": "Public",
                                                                      "priority": 1})
                self.assertEqual(st, 201, gen)
                self.assertRegex(gen["id"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
                self.assertEqual(env.sql("SELECT count(*) FROM labels"), "5")
                # patch: merge of fields; the id cannot change
                st, _, p = env.call("PATCH", "/admin/v1/labels/Secret", body={
                    "display_name": "Top Secret", "scope": {"internal_only": False,
                                                            "domains": ["fabrikam.test"]}})
                self.assertEqual(st, 200, p)
                self.assertEqual((p["display_name"], p["scope"]["domains"], p["rights"]),
                                 ("Top Secret", ["fabrikam.test"], ["view"]))
                self.assertError(env.call("PATCH", "/admin/v1/labels/Secret", body={
                    "id": GENERAL}), 400, "validation_failed", "id")
                self.assertError(env.call("PATCH", "/admin/v1/labels/Secret", body={
                    "priority": 10}), 400, "validation_failed", "priority")
                self.assertError(env.call("PATCH", "/admin/v1/labels/Missing", body={
                    "priority": 99}), 404, "not_found")
                self.assertEqual(env.sql(f"SELECT display_name FROM labels WHERE id = '{SECRET}'"),
                                 "Top Secret")
                # delete: refused while a policy publishes it
                self.assertError(env.call("DELETE", "/admin/v1/labels/General"), 409, "conflict",
                                 "Everyone")
                self.assertEqual(env.call("DELETE", "/admin/v1/labels/Secret")[0], 204)
                self.assertError(env.call("DELETE", "/admin/v1/labels/Secret"), 404, "not_found")
                self.assertIn("event=label_created", env.daemon.output())

    def test_label_catalog_etag_and_if_match(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                st, h, _ = env.call("PUT", "/admin/v1/labels", body=example_catalog())
                self.assertEqual(st, 200)
                e1 = h["etag"]
                self.assertRegex(e1, r'^"catalog-[0-9]+"$')
                # every read of the catalog carries the same tag
                for path in ("/admin/v1/labels", "/admin/v1/labels/General",
                             "/admin/v1/label-policies", "/admin/v1/label-policies/Legal"):
                    st, h, _ = env.call("GET", path)
                    self.assertEqual((st, h["etag"]), (200, e1), path)
                # a write with the tag it read succeeds and moves the tag
                st, h, p = env.call("PATCH", "/admin/v1/labels/General",
                                    body={"display_name": "General (internal)"},
                                    headers={"If-Match": e1})
                self.assertEqual(st, 200, p)
                e2 = h["etag"]
                self.assertNotEqual(e2, e1)
                self.assertEqual(env.call("GET", "/admin/v1/labels")[1]["etag"], e2)
                # a second client still holding e1 loses nothing of the first one's change
                for method, path, body in (
                        ("PATCH", "/admin/v1/labels/General", {"display_name": "Stale"}),
                        ("PUT", "/admin/v1/labels", {"labels": [], "policies": []}),
                        ("POST", "/admin/v1/labels", {"name": "Late", "priority": 77}),
                        ("DELETE", "/admin/v1/label-policies/Legal", None),
                        ("POST", "/admin/v1/label-policies", {"name": "Late", "priority": 78})):
                    st, _, err = env.call(method, path, body=body, headers={"If-Match": e1})
                    self.assertEqual(st, 412, (method, path, err))
                    self.assertEqual(err["error"]["code"], "precondition_failed")
                    self.assertIn(e2, err["error"]["message"])  # names the current version
                self.assertEqual(env.sql("SELECT display_name FROM labels WHERE name = 'General'"),
                                 "General (internal)")
                self.assertEqual(env.sql("SELECT count(*) FROM labels"), "3")
                self.assertEqual(env.sql("SELECT count(*) FROM label_policies"), "2")
                # a weak tag never matches (RFC 9110 strong comparison); a list matches by any
                # member; "*" matches any version
                weak = "W/" + e2
                self.assertError(env.call("PATCH", "/admin/v1/labels/General", body={
                    "display_name": "W"}, headers={"If-Match": weak}), 412, "precondition_failed")
                st, h, _ = env.call("PATCH", "/admin/v1/labels/General", body={
                    "display_name": "L"}, headers={"If-Match": '"other", ' + e2})
                self.assertEqual(st, 200)
                e3 = h["etag"]
                st, h, _ = env.call("DELETE", "/admin/v1/label-policies/Legal",
                                    headers={"If-Match": "*"})
                self.assertEqual(st, 204)
                self.assertNotEqual(h["etag"], e3)
                for bad in ("catalog-3", '"unterminated', "", '"a" "b"'):
                    self.assertError(env.call("PATCH", "/admin/v1/labels/General", body={
                        "display_name": "B"}, headers={"If-Match": bad}), 400, "bad_request",
                        "If-Match")
                # the S/MIME settings are not the catalog: changing them keeps the tag
                e4 = env.call("GET", "/admin/v1/labels")[1]["etag"]
                self.assertEqual(env.call("PATCH", "/admin/v1/smime-config",
                                          body={"alwaysSign": True})[0], 200)
                self.assertEqual(env.call("GET", "/admin/v1/labels")[1]["etag"], e4)
                # another writer (the CLI) moves it; a write without If-Match applies to the
                # catalog as it now is
                path = os.path.join(d, "cat.yaml")
                with open(path, "w") as f:
                    json.dump(example_catalog(), f)
                cli = run("labels", "import", path, "-c", env.cfg)
                self.assertEqual(cli.returncode, 0, cli.stderr)
                self.assertNotEqual(env.call("GET", "/admin/v1/labels")[1]["etag"], e4)
                self.assertError(env.call("PATCH", "/admin/v1/labels/General", body={
                    "display_name": "X"}, headers={"If-Match": e4}), 412, "precondition_failed")
                st, _, g = env.call("PATCH", "/admin/v1/labels/General", body={"priority": 3})
                self.assertEqual((st, g["display_name"], g["priority"]), (200, "General", 3))
                self.assertEqual(env.sql("SELECT count(*) FROM label_policies"), "2")

    def test_label_policies_create_get_delete(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                self.assertEqual(env.call("PUT", "/admin/v1/labels", body=example_catalog())[0], 200)
                st, _, pols = env.call("GET", "/admin/v1/label-policies")
                self.assertEqual([p["name"] for p in pols["value"]], ["Legal", "Everyone"])
                st, _, p = env.call("POST", "/admin/v1/label-policies", body={
                    "name": "Board", "priority": 20, "users": ["CFO@contoso.test"],
                    "labels": ["Confidential", GENERAL], "default_label": "Confidential",
                    "mandatory": True})
                self.assertEqual(st, 201, p)
                self.assertEqual(p["users"], ["cfo@contoso.test"])
                self.assertEqual([x["name"] for x in p["labels"]], ["Confidential", "General"])
                self.assertEqual(p["default_label"]["name"], "Confidential")
                self.assertEqual(env.call("GET", "/admin/v1/label-policies/board")[2]["priority"], 20)
                self.assertError(env.call("POST", "/admin/v1/label-policies", body={
                    "name": "Board2", "priority": 20}), 400, "validation_failed", "priority")
                self.assertError(env.call("POST", "/admin/v1/label-policies", body={
                    "name": "Bad", "priority": 21, "labels": ["Nope"]}), 400,
                    "validation_failed", "labels[0]")
                self.assertError(env.call("POST", "/admin/v1/label-policies", body={
                    "name": "Bad", "priority": 22, "labels": ["General"],
                    "default_label": "Confidential"}), 400, "validation_failed", "default_label")
                self.assertError(env.call("POST", "/admin/v1/label-policies", body={
                    "priority": 23, "size": 1}), 400, "validation_failed", "size: unknown key")
                self.assertError(env.call("GET", "/admin/v1/label-policies/Nobody"), 404,
                                 "not_found")
                st, _, page = env.call("GET", "/admin/v1/label-policies?top=1&skip=1")
                self.assertEqual([x["name"] for x in page["value"]], ["Legal"])
                self.assertEqual(page["nextLink"], "/admin/v1/label-policies?top=1&skip=2")
                self.assertEqual(env.call("DELETE", "/admin/v1/label-policies/Board")[0], 204)
                self.assertError(env.call("DELETE", "/admin/v1/label-policies/Board"), 404,
                                 "not_found")
                self.assertEqual(env.sql("SELECT count(*) FROM label_policies"), "2")

    def test_smime_config_get_and_patch_all_or_nothing(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                st, _, c = env.call("GET", "/admin/v1/smime-config")
                self.assertEqual(st, 200, c)
                self.assertEqual((c["alwaysSign"], c["encryptionAlgorithm"], c["includeChain"]),
                                 (False, "AES-256-CBC", "withoutRoot"))
                cli = json.loads(run("smime-config", "show", "--json", "-c", env.cfg).stdout)
                self.assertEqual(cli, c)
                v = c["version"]
                st, _, c2 = env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysSign": True, "encryptionAlgorithm": "AES-128-GCM",
                    "dlExpansionTimeoutMs": 5000})
                self.assertEqual(st, 200, c2)
                self.assertEqual((c2["alwaysSign"], c2["encryptionAlgorithm"],
                                  c2["dlExpansionTimeoutMs"]), (True, "AES-128-GCM", 5000))
                self.assertGreater(c2["version"], v)
                self.assertEqual(env.sql("SELECT always_sign FROM smime_settings"), "t")
                # every bad field is named; nothing changes
                st, _, err = env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysSign": False, "bogus": 1, "includeChain": "sometimes",
                    "crlRetrievalTimeoutMs": 0, "alwaysEncrypt": [1]})
                self.assertEqual(st, 400, err)
                msg = err["error"]["message"]
                self.assertEqual(err["error"]["code"], "validation_failed")
                for field in ("bogus", "includeChain", "crlRetrievalTimeoutMs", "alwaysEncrypt"):
                    self.assertIn(field + ": ", msg)
                self.assertEqual(env.sql("SELECT always_sign FROM smime_settings"), "t")
                self.assertError(env.call("PATCH", "/admin/v1/smime-config", body={}), 400,
                                 "validation_failed", "body")
                self.assertError(env.call("PATCH", "/admin/v1/smime-config", body=[1]), 400,
                                 "validation_failed", "body")
                # a no-op patch keeps the version
                st, _, c3 = env.call("PATCH", "/admin/v1/smime-config", body={"alwaysSign": True})
                self.assertEqual((st, c3["version"]), (200, c2["version"]))
                self.assertIn("event=smime_setting_changed key=alwaysSign", env.daemon.output())
                # the version is also the ETag; PATCH honours If-Match
                st, h, c4 = env.call("GET", "/admin/v1/smime-config")
                self.assertEqual(h["etag"], '"settings-%d"' % c4["version"])
                st, h, c5 = env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysEncrypt": True}, headers={"If-Match": h["etag"]})
                self.assertEqual(st, 200, c5)
                self.assertEqual(h["etag"], '"settings-%d"' % c5["version"])
                self.assertGreater(c5["version"], c4["version"])
                stale = '"settings-%d"' % c4["version"]
                self.assertError(env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysEncrypt": False}, headers={"If-Match": stale}), 412,
                    "precondition_failed", '"settings-%d"' % c5["version"])
                self.assertEqual(env.sql("SELECT always_encrypt FROM smime_settings"), "t")
                self.assertError(env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysEncrypt": False}, headers={"If-Match": '"catalog-%d"' % c5["version"]}),
                    412, "precondition_failed")  # another resource's tag
                self.assertError(env.call("PATCH", "/admin/v1/smime-config", body={
                    "alwaysEncrypt": False}, headers={"If-Match": "settings"}), 400, "bad_request")


if __name__ == "__main__":
    unittest.main()
