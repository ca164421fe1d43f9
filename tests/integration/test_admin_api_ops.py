"""The admin API's operations views through the real daemon: a message's trace
(/admin/v1/messages/{id}/trace, what `smimegw trace ID --json` prints), user certificates expiring
within N days (/admin/v1/certificates/expiring, paginated), and the CRLs the gateway holds
(/admin/v1/crls with the latest refresh outcome; POST /admin/v1/crls/refresh fetching each again
from a test HTTP server, success and failure)."""
import base64
import json
import unittest

from gateway import run, scratch_database, swaks, wait_for, workdir
from test_admin_api import AdminEnv
from test_admin_api_certificates import Pki
from test_trust_serve import CrlServer, pki

PW = "Alice-Trace-Password-1"


class AdminOpsTest(unittest.TestCase):
    def assertError(self, result, status, code, message_part=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertEqual(body["error"]["code"], code, body)
        if message_part:
            self.assertIn(message_part, body["error"]["message"])

    def test_message_trace_matches_the_cli_and_unknown_ids_are_404(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                self.assertEqual(env.call("POST", "/admin/v1/users", body={
                    "address": "alice@contoso.test", "password": PW})[0], 201)
                code, out = swaks(env.ports["submission"], "--auth", "PLAIN", "--auth-user",
                                  "alice@contoso.test", "--auth-password", PW, "--from",
                                  "alice@contoso.test", "--to", "carol@example.org")
                self.assertEqual(code, 0, out)
                qid = env.sql("SELECT queue_id FROM queue_messages")
                st, _, body = env.call("GET", f"/admin/v1/messages/{qid}/trace")
                self.assertEqual(st, 200, body)
                events = body["value"]
                self.assertIn("decision", [e["event"] for e in events])
                self.assertTrue(all(e["stage"] and e["at"] for e in events))
                cli = run("trace", qid, "--json", "-c", env.cfg)
                self.assertEqual(cli.returncode, 0, cli.stderr)
                self.assertEqual(json.loads(cli.stdout)[:len(events)], events)
                self.assertError(env.call("GET", "/admin/v1/messages/NOSUCHID/trace"), 404,
                                 "not_found", "NOSUCHID")

    def test_expiring_certificates_window_order_and_pagination(self):
        with workdir() as d, scratch_database() as (url, name):
            ca = Pki(d)
            soon = ca.cert("alice@contoso.test", "soon", "--days", "10")
            sooner = ca.cert("alice@contoso.test", "sooner", "--days", "5")
            later = ca.cert("alice@contoso.test", "later", "--days", "100")
            with AdminEnv(d, url, name, tls=False,
                          http_extra="trust:\n  revocation: off\n") as env:
                env.call("POST", "/admin/v1/trust-anchors", body=open(ca.root, "rb").read())
                env.call("POST", "/admin/v1/users", body={"address": "alice@contoso.test"})
                ids = {}
                for key, pem in (("soon", soon), ("sooner", sooner), ("later", later)):
                    st, _, body = env.call("POST", "/admin/v1/users/alice@contoso.test/certificates",
                                           body={"certificate": open(pem).read()})
                    self.assertEqual(st, 201, body)
                    ids[key] = body["value"][0]["id"]
                st, _, body = env.call("GET", "/admin/v1/certificates/expiring")  # default 30 days
                self.assertEqual(st, 200, body)
                self.assertEqual([c["id"] for c in body["value"]], [ids["sooner"], ids["soon"]])
                c = body["value"][0]
                self.assertEqual((c["address"], c["usage"], c["hasPrivateKey"]),
                                 ("alice@contoso.test", "both", False))
                st, _, body = env.call("GET", "/admin/v1/certificates/expiring?days=7")
                self.assertEqual([c["id"] for c in body["value"]], [ids["sooner"]])
                st, _, p1 = env.call("GET", "/admin/v1/certificates/expiring?days=365&top=2")
                self.assertEqual([c["id"] for c in p1["value"]], [ids["sooner"], ids["soon"]])
                self.assertEqual(p1["nextLink"],
                                 "/admin/v1/certificates/expiring?days=365&top=2&skip=2")
                st, _, p2 = env.call("GET", p1["nextLink"])
                self.assertEqual([c["id"] for c in p2["value"]], [ids["later"]])
                self.assertNotIn("nextLink", p2)
                # a disabled certificate is not reported
                env.sql(f"UPDATE user_certificates SET enabled = false WHERE id = {ids['sooner']}")
                st, _, body = env.call("GET", "/admin/v1/certificates/expiring?days=7")
                self.assertEqual(body["value"], [])
                for bad in ("0", "3651", "x", "-1"):
                    self.assertError(env.call("GET", f"/admin/v1/certificates/expiring?days={bad}"),
                                     400, "validation_failed", "days")
                self.assertError(env.call("GET", "/admin/v1/certificates/expiring?top=0"), 400,
                                 "validation_failed", "top")

    def test_crls_listed_and_refreshed_now_with_each_outcome(self):
        with workdir() as d, scratch_database() as (url, name):
            srv = CrlServer()
            try:
                ca = Pki(d)
                crl_url = srv.url("/root.crl")
                path = d + "/root.crl"
                pki("crl", "--dir", ca.dir, "--out", path, "--next-update-days", "2")
                with open(path, "rb") as f:
                    srv.files["/root.crl"] = f.read()
                alice = ca.cert("alice@contoso.test", "alice", "--crl-url", crl_url)
                with AdminEnv(d, url, name, tls=False) as env:
                    st, _, body = env.call("GET", "/admin/v1/crls")
                    self.assertEqual((st, body), (200, {"value": []}))
                    st, _, body = env.call("POST", "/admin/v1/crls/refresh")
                    self.assertEqual((st, body), (200, {"value": []}))
                    env.call("POST", "/admin/v1/trust-anchors", body=open(ca.root, "rb").read())
                    env.call("POST", "/admin/v1/users", body={"address": "alice@contoso.test"})
                    # validating the pushed certificate (revocation: require) fetches the CRL
                    st, _, body = env.call("POST",
                                           "/admin/v1/users/alice@contoso.test/certificates",
                                           body={"certificate": open(alice).read()})
                    self.assertEqual(st, 201, body)
                    self.assertEqual(srv.counts.get("/root.crl"), 1)
                    st, _, body = env.call("GET", "/admin/v1/crls")
                    self.assertEqual(st, 200, body)
                    [c] = body["value"]
                    self.assertEqual(c["url"], crl_url)
                    self.assertIn("ca Root", c["issuer"])
                    self.assertIsNotNone(c["nextUpdate"])
                    self.assertIsNone(c["lastResult"])
                    self.assertError(env.call("GET", "/admin/v1/crls?top=0"), 400,
                                     "validation_failed", "top")
                    st, _, body = env.call("POST", "/admin/v1/crls/refresh")
                    self.assertEqual(st, 200, body)
                    self.assertEqual([(r["url"], r["ok"], r["error"]) for r in body["value"]],
                                     [(crl_url, True, "")])
                    self.assertEqual(srv.counts["/root.crl"], 2)
                    st, _, body = env.call("GET", "/admin/v1/crls")
                    self.assertEqual(body["value"][0]["lastResult"], "ok")
                    self.assertIsNotNone(body["value"][0]["lastAttemptAt"])
                    # the distribution point fails: the outcome says why, the held copy stays
                    srv.failing = True
                    st, _, body = env.call("POST", "/admin/v1/crls/refresh")
                    self.assertEqual(st, 200, body)
                    [r] = body["value"]
                    self.assertFalse(r["ok"])
                    self.assertIn("503", r["error"])
                    st, _, body = env.call("GET", "/admin/v1/crls")
                    self.assertIn("503", body["value"][0]["lastResult"])
                    self.assertEqual(env.sql("SELECT count(*) FROM crl_cache"), "1")
                    wait_for(lambda: "event=crl_refresh_requested" in env.daemon.output(),
                             what="audit log line")
            finally:
                srv.stop()


if __name__ == "__main__":
    unittest.main()
