"""The admin API's distribution groups (/admin/v1/groups) through the real daemon: create, list
with pagination, get with members, member changes (users by any address, nested groups, external
addresses; all-or-nothing refusals), the nested expansion with paths and a reported cycle, delete;
every error answer names its cause."""
import unittest

from gateway import run, scratch_database, workdir
from test_admin_api import AdminEnv


class AdminGroupsTest(unittest.TestCase):
    def assertError(self, result, status, code, message_part=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(body["error"]["code"], code, body)
        if message_part:
            self.assertIn(message_part, body["error"]["message"])

    def test_groups_create_list_members_expand_delete(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                for a in ("alice", "bob"):
                    self.assertEqual(env.call("POST", "/admin/v1/users", body={
                        "address": f"{a}@contoso.test",
                        "proxyAddresses": [f"{a[0]}@contoso.test"]})[0], 201)
                st, h, g = env.call("POST", "/admin/v1/groups", body={
                    "address": "Sales@Contoso.test", "name": "Sales"})
                self.assertEqual(st, 201, g)
                self.assertEqual((g["address"], g["displayName"], g["memberCount"], g["members"]),
                                 ("sales@contoso.test", "Sales", 0, []))
                self.assertEqual(h["location"], f"/admin/v1/groups/{g['id']}")
                st, _, inner = env.call("POST", "/admin/v1/groups", body={
                    "address": "emea@contoso.test"})
                self.assertEqual(st, 201, inner)
                # conflicts and validation
                self.assertError(env.call("POST", "/admin/v1/groups", body={
                    "address": "alice@contoso.test"}), 409, "conflict")
                self.assertError(env.call("POST", "/admin/v1/groups", body={
                    "address": "b@contoso.test"}), 409, "conflict")
                self.assertError(env.call("POST", "/admin/v1/groups", body={"name": "x"}), 400,
                                 "validation_failed", "address: required")
                self.assertError(env.call("POST", "/admin/v1/groups", body={
                    "address": "nope"}), 400, "validation_failed", "address")
                self.assertError(env.call("POST", "/admin/v1/groups", body={
                    "address": "x@contoso.test", "owner": "y"}), 400, "validation_failed",
                    "owner: unknown field")
                # members: a user by proxy address, a nested group, an external address
                st, _, g2 = env.call("POST", "/admin/v1/groups/sales@contoso.test/members", body={
                    "add": ["a@contoso.test", "emea@contoso.test", "Partner@Example.org"]})
                self.assertEqual(st, 200, g2)
                self.assertEqual(g2["memberCount"], 3)
                self.assertEqual(sorted((m["kind"], m["address"]) for m in g2["members"]),
                                 [("external", "partner@example.org"),
                                  ("group", "emea@contoso.test"), ("user", "alice@contoso.test")])
                self.assertEqual(env.call("POST", f"/admin/v1/groups/{inner['id']}/members", body={
                    "add": ["bob@contoso.test", "sales@contoso.test"]})[0], 200)  # a cycle
                # all or nothing: one bad removal changes nothing
                self.assertError(env.call("POST", "/admin/v1/groups/sales@contoso.test/members", body={
                    "add": ["carol@example.org"], "remove": ["nobody@example.org"]}), 400,
                    "not_a_member", "nobody@example.org")
                self.assertError(env.call("POST", "/admin/v1/groups/sales@contoso.test/members", body={
                    "add": ["sales@contoso.test"]}), 400, "bad_member")
                self.assertError(env.call("POST", "/admin/v1/groups/sales@contoso.test/members", body={
                    "add": ["ok@example.org", 5]}), 400, "validation_failed", "add[1]")
                self.assertError(env.call("POST", "/admin/v1/groups/sales@contoso.test/members",
                                          body={}), 400, "validation_failed", "add")
                self.assertError(env.call("POST", "/admin/v1/groups/ghost@contoso.test/members", body={
                    "add": ["x@example.org"]}), 404, "not_found")
                # get by id and by address
                st, _, got = env.call("GET", f"/admin/v1/groups/{g['id']}")
                self.assertEqual((st, got["address"], got["memberCount"]),
                                 (200, "sales@contoso.test", 3), got)
                self.assertEqual(env.call("GET", "/admin/v1/groups/SALES@contoso.test")[2]["id"],
                                 g["id"])
                self.assertError(env.call("GET", "/admin/v1/groups/999999"), 404, "not_found")
                self.assertError(env.call("GET", "/admin/v1/groups/ghost@contoso.test"), 404,
                                 "not_found")
                self.assertError(env.call("GET", "/admin/v1/groups/not%20an%20address"), 400,
                                 "validation_failed", "id")
                # expansion: every user and external address once, with its path; the cycle
                # is reported and the expansion stays complete (as the CLI prints it)
                st, _, e = env.call("GET", "/admin/v1/groups/sales@contoso.test/expand")
                self.assertEqual(st, 200, e)
                self.assertEqual(e["group"], "sales@contoso.test")
                self.assertTrue(e["complete"])
                by = {m["address"]: m for m in e["members"]}
                self.assertEqual(sorted(by), ["alice@contoso.test", "bob@contoso.test",
                                              "partner@example.org"])
                self.assertEqual(by["bob@contoso.test"]["path"],
                                 ["sales@contoso.test", "emea@contoso.test"])
                self.assertEqual([p["code"] for p in e["problems"]], ["cycle"])
                cli = run("groups", "expand", "sales@contoso.test", "--json", "-c", env.cfg)
                import json
                self.assertEqual(json.loads(cli.stdout), e)
                self.assertError(env.call("GET", "/admin/v1/groups/ghost@contoso.test/expand"), 404,
                                 "not_found")
                # list with pagination
                for i in range(2):
                    env.call("POST", "/admin/v1/groups", body={"address": f"z{i}@contoso.test"})
                st, _, p1 = env.call("GET", "/admin/v1/groups?top=3")
                self.assertEqual([x["address"] for x in p1["value"]],
                                 ["emea@contoso.test", "sales@contoso.test", "z0@contoso.test"])
                self.assertEqual(p1["nextLink"], "/admin/v1/groups?top=3&skip=3")
                st, _, p2 = env.call("GET", p1["nextLink"])
                self.assertEqual([x["address"] for x in p2["value"]], ["z1@contoso.test"])
                self.assertNotIn("nextLink", p2)
                self.assertError(env.call("GET", "/admin/v1/groups?top=999"), 400,
                                 "validation_failed", "top")
                # removal of a member, then delete (its membership in emea goes too)
                st, _, g3 = env.call("POST", "/admin/v1/groups/sales@contoso.test/members", body={
                    "remove": ["partner@example.org"]})
                self.assertEqual((st, g3["memberCount"]), (200, 2))
                self.assertEqual(env.call("DELETE", f"/admin/v1/groups/{g['id']}")[0], 204)
                self.assertError(env.call("DELETE", f"/admin/v1/groups/{g['id']}"), 404, "not_found")
                self.assertError(env.call("DELETE", "/admin/v1/groups/sales@contoso.test"), 404,
                                 "not_found")
                st, _, emea = env.call("GET", "/admin/v1/groups/emea@contoso.test")
                self.assertEqual([m["address"] for m in emea["members"]], ["bob@contoso.test"])
                self.assertEqual(env.sql("SELECT count(*) FROM groups"), "3")
                log = env.daemon.output()
                self.assertIn("event=group_created", log)
                self.assertIn("event=group_deleted", log)


if __name__ == "__main__":
    unittest.main()
