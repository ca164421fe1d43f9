"""The admin REST API (/admin/v1) through the real daemon: HTTPS with Botan TLS (python's ssl
verifying the test certificate) and plain HTTP on loopback, bearer tokens from the CLI and from
admin.tokens_file, every route's success and error answers, pagination, the HTTP layer's limits
(404/405/413/400/431/408), rate limiting (429 + Retry-After), keep-alive and request ids."""
import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import time
import unittest

from gateway import (Daemon, make_tls_cert, psql, run, scratch_database, swaks, wait_for, workdir,
                     write_config)

SPEC = os.path.join(os.environ.get("SMIMEGW_SOURCE_DIR", os.getcwd()), "docs", "openapi.yaml")
PASSWORD = "Adm1n-Api-Test-Password"


def spec_routes():
    """(method, path) pairs of docs/openapi.yaml's paths section (the unit test openapi_test
    proves they are exactly the route table)."""
    routes, path, in_paths = [], None, False
    with open(SPEC) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip(" "))
            if indent == 0:
                in_paths = line == "paths:"
                continue
            if not in_paths:
                continue
            key = line.strip().split(":")[0].strip("\"'")
            if indent == 2:
                path = key
            elif indent == 4 and key in ("get", "post", "put", "patch", "delete"):
                routes.append((key.upper(), path))
    return routes


class AdminEnv:
    """A migrated database, a config whose admin listener is HTTPS (tls=True) or plain HTTP, an
    admin token created with the CLI, and the daemon."""

    def __init__(self, d, url, db_name, tls=True, admin_extra="", http_extra="", smtp_extra=""):
        self.d, self.db_name, self.tls = d, db_name, tls
        self.cert, self.key = make_tls_cert(d)
        self.cfg, self.ports = write_config(
            d, url, "relay:\n  smarthost: \"127.0.0.1:1\"\n  tls: none\n"
            "queue:\n  poll_ms: 50\n  retry_schedule_s: [600]\n" + http_extra)
        with open(self.cfg) as f:
            text = f.read()
        admin = ""
        if tls:
            admin += f"  tls: {{certificate_file: {self.cert}, key_file: {self.key}}}\n"
        admin += admin_extra
        listen = f"  listen: \"127.0.0.1:{self.ports['admin']}\"\n"
        text = text.replace("admin:\n" + listen, "admin:\n" + listen + admin, 1)
        text = text.replace("smtp:\n", "smtp:\n  allow_auth_without_tls: true\n" + smtp_extra, 1)
        with open(self.cfg, "w") as f:
            f.write(text)
        r = run("migrate", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        r = run("admin", "token", "create", "ops", "-c", self.cfg)
        assert r.returncode == 0, r.stderr
        self.token = r.stdout.strip()
        self.daemon = Daemon(self.cfg, self.ports)

    def __enter__(self):
        self.daemon.start(wait_healthy=False)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.daemon.proc.poll() is not None:
                raise AssertionError("daemon exited:\n" + self.daemon.output())
            try:
                if self.call("GET", "/healthz", token=None)[0] == 200:
                    return self
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        raise AssertionError("daemon not healthy:\n" + self.daemon.output())

    def __exit__(self, *exc):
        self.daemon.__exit__(*exc)

    def sql(self, q):
        return psql(q, db=self.db_name)

    def connection(self, timeout=10):
        if self.tls:
            ctx = ssl.create_default_context(cafile=self.cert)
            return http.client.HTTPSConnection("127.0.0.1", self.ports["admin"], timeout=timeout,
                                               context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.ports["admin"], timeout=timeout)

    def call(self, method, path, body=None, token="default", headers=None, conn=None):
        """(status, headers, parsed JSON body or text)."""
        h = dict(headers or {})
        if token == "default":
            token = self.token
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        own = conn is None
        c = conn or self.connection()
        try:
            c.request(method, path, body=body, headers=h)
            resp = c.getresponse()
            raw = resp.read()
            ctype = resp.getheader("Content-Type", "")
            data = json.loads(raw) if ctype.startswith("application/json") and raw else raw.decode()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            if own:
                c.close()


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=cwd)


def make_ca(d, name):
    """A CA certificate and a leaf it issued (PEM files)."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-ca.key", "-out",
            f"{name}-ca.pem", "-days", "30", "-subj", f"/CN={name} Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-leaf.key", "-out",
            f"{name}-leaf.csr", "-subj", f"/CN={name} leaf", cwd=d)
    openssl("x509", "-req", "-in", f"{name}-leaf.csr", "-CA", f"{name}-ca.pem", "-CAkey",
            f"{name}-ca.key", "-CAcreateserial", "-out", f"{name}-leaf.pem", "-days", "10", cwd=d)
    return os.path.join(d, f"{name}-ca.pem"), os.path.join(d, f"{name}-leaf.pem")


def read(path, mode="rb"):
    with open(path, mode) as f:
        return f.read()


class AdminApiTest(unittest.TestCase):
    def assertError(self, result, status, code, message_part=None):
        st, _, body = result
        self.assertEqual(st, status, body)
        self.assertIsInstance(body, dict, body)
        self.assertEqual(set(body), {"error"}, body)
        self.assertEqual(body["error"]["code"], code, body)
        self.assertIsInstance(body["error"]["message"], str)
        if message_part:
            self.assertIn(message_part, body["error"]["message"])

    def test_every_admin_route_answers_401_without_or_with_a_bad_token(self):
        with workdir() as d, scratch_database() as (url, name):
            tokens_file = os.path.join(d, "tokens")
            with open(tokens_file, "w") as f:
                f.write("# ops team\nteam-file  file-token-0123456789abcdef\n")
            os.chmod(tokens_file, 0o600)
            # 5 refused requests per route from one address: more than the default burst
            with AdminEnv(d, url, name, admin_extra=f"  tokens_file: {tokens_file}\n"
                                                    "  rate_limit_per_s: 0\n") as env:
                admin_routes = [(m, p) for m, p in spec_routes() if p.startswith("/admin/v1/")]
                self.assertGreaterEqual(len(admin_routes), 42)
                for method, pattern in admin_routes:
                    path = re.sub(r"\{[^}]*\}", "1", pattern)
                    for token in (None, "smgw_" + "A" * 43, env.token[:-1], "x"):
                        st, headers, body = env.call(method, path, body=b"" if method in ("POST", "PUT", "PATCH") else None, token=token)
                        self.assertEqual(st, 401, f"{method} {path} token={token!r}: {body}")
                        self.assertEqual(body["error"]["code"], "unauthorized")
                        self.assertEqual(headers.get("www-authenticate"), 'Bearer realm="smimegw"')
                    st, _, _ = env.call(method, path,
                                        body=b"" if method in ("POST", "PUT", "PATCH") else None,
                                        headers={"Authorization": "Basic b3BzOm9wcw=="}, token=None)
                    self.assertEqual(st, 401, f"{method} {path} with Basic auth")
                # the health routes need no token
                for path in ("/healthz", "/readyz", "/metrics"):
                    self.assertEqual(env.call("GET", path, token=None)[0], 200, path)
                # the CLI token and the tokens_file token both work
                self.assertEqual(env.call("GET", "/admin/v1/queue")[0], 200)
                self.assertEqual(env.call("GET", "/admin/v1/queue",
                                          token="file-token-0123456789abcdef")[0], 200)
                # a revoked token stops working at once (no cache)
                r = run("admin", "token", "revoke", "ops", "-c", env.cfg)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertError(env.call("GET", "/admin/v1/queue"), 401, "unauthorized")
                log = env.daemon.output()
                self.assertNotIn(env.token, log)
                self.assertNotIn("file-token-0123456789abcdef", log)
                self.assertRegex(log, r"event=http_request .*principal=file:team-file")

    def test_admin_token_cli_stores_only_the_hash_and_revokes(self):
        with workdir() as d, scratch_database() as (url, name):
            env = AdminEnv(d, url, name)
            self.assertRegex(env.token, r"^smgw_[A-Za-z0-9_-]{43}$")
            digest = hashlib.sha256(env.token.encode()).hexdigest()
            self.assertEqual(env.sql("SELECT name || ' ' || kind || ' ' || hash FROM api_tokens"),
                             f"ops admin {digest}")
            dump = env.sql("SELECT row_to_json(t)::text FROM api_tokens t")
            self.assertNotIn(env.token, dump)
            r = run("admin", "token", "create", "ops", "-c", env.cfg)
            self.assertEqual(r.returncode, 1)
            self.assertIn("ops", r.stderr)
            r = run("admin", "token", "create", "bad name!", "-c", env.cfg)
            self.assertEqual(r.returncode, 2)
            r = run("admin", "token", "list", "--json", "-c", env.cfg)
            self.assertEqual(r.returncode, 0, r.stderr)
            listed = json.loads(r.stdout)
            self.assertEqual([t["name"] for t in listed], ["ops"])
            self.assertIsNone(listed[0]["revokedAt"])
            self.assertNotIn(digest, r.stdout)
            self.assertNotIn(env.token, r.stdout)
            tid = listed[0]["id"]
            r = run("admin", "token", "revoke", str(tid), "-c", env.cfg)
            self.assertEqual(r.returncode, 0, r.stderr)
            r = run("admin", "token", "revoke", "ops", "-c", env.cfg)
            self.assertEqual(r.returncode, 1)
            r = run("admin", "token", "list", "-c", env.cfg)
            self.assertIn("revoked", r.stdout)
            # the name is free again once revoked
            r = run("admin", "token", "create", "ops", "-c", env.cfg)
            self.assertEqual(r.returncode, 0, r.stderr)

    def test_trust_anchors_upload_list_disable_enable_delete(self):
        with workdir() as d, scratch_database() as (url, name):
            ca1, leaf1 = make_ca(d, "one")
            ca2, _ = make_ca(d, "two")
            ca3, _ = make_ca(d, "three")
            with AdminEnv(d, url, name) as env:
                # PEM bundle: a CA and a leaf → added + not_ca, in file order
                st, _, body = env.call("POST", "/admin/v1/trust-anchors",
                                       body=read(ca1) + read(leaf1),
                                       headers={"Content-Type": "application/x-pem-file"})
                self.assertEqual(st, 200, body)
                self.assertEqual(body["format"], "pem")
                self.assertEqual(body["added"], 1)
                self.assertEqual([i["status"] for i in body["items"]], ["added", "not_ca"])
                self.assertIn("one Test CA", body["items"][0]["subject"])
                self.assertTrue(body["items"][0]["isRoot"])
                id1 = body["items"][0]["id"]
                self.assertIsNone(body["items"][1]["id"])
                # DER
                der = subprocess.run(["openssl", "x509", "-in", ca2, "-outform", "DER"],
                                     check=True, capture_output=True).stdout
                st, _, body = env.call("POST", "/admin/v1/trust-anchors", body=der,
                                       headers={"Content-Type": "application/pkix-cert"})
                self.assertEqual((st, body["format"], body["items"][0]["status"]),
                                 (200, "der", "added"), body)
                # PKCS#7 certs-only holding ca1 (duplicate) and ca3 (new)
                subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", ca1, "-certfile",
                                ca3, "-outform", "DER", "-out", os.path.join(d, "b.p7b")],
                               check=True, capture_output=True)
                st, _, body = env.call("POST", "/admin/v1/trust-anchors",
                                       body=read(os.path.join(d, "b.p7b")))
                self.assertEqual(st, 200, body)
                self.assertEqual(body["format"], "pkcs7")
                self.assertEqual(sorted(i["status"] for i in body["items"]), ["added", "duplicate"])
                self.assertEqual(env.sql("SELECT count(*) FROM trust_anchors"), "3")
                # file-level errors
                self.assertError(env.call("POST", "/admin/v1/trust-anchors", body=b"not a cert"),
                                 400, "malformed")
                self.assertError(env.call("POST", "/admin/v1/trust-anchors", body=b""), 400,
                                 "validation_failed", "body")
                # list with pagination
                st, _, page1 = env.call("GET", "/admin/v1/trust-anchors?top=2")
                self.assertEqual(st, 200)
                self.assertEqual(len(page1["value"]), 2)
                self.assertEqual(page1["nextLink"], "/admin/v1/trust-anchors?top=2&skip=2")
                st, _, page2 = env.call("GET", page1["nextLink"])
                self.assertEqual(len(page2["value"]), 1)
                self.assertNotIn("nextLink", page2)
                ids = [a["id"] for a in page1["value"] + page2["value"]]
                self.assertEqual(ids, sorted(ids))
                self.assertIn(id1, ids)
                self.assertError(env.call("GET", "/admin/v1/trust-anchors?top=0"), 400,
                                 "validation_failed", "top")
                self.assertError(env.call("GET", "/admin/v1/trust-anchors?skip=x"), 400,
                                 "validation_failed", "skip")
                # disable / enable
                st, _, a = env.call("POST", f"/admin/v1/trust-anchors/{id1}/disable")
                self.assertEqual((st, a["id"], a["enabled"]), (200, id1, False), a)
                self.assertEqual(env.sql(f"SELECT enabled FROM trust_anchors WHERE id={id1}"), "f")
                st, _, a = env.call("POST", f"/admin/v1/trust-anchors/{id1}/enable")
                self.assertEqual((st, a["enabled"]), (200, True), a)
                self.assertError(env.call("POST", "/admin/v1/trust-anchors/999999/disable"), 404,
                                 "not_found")
                self.assertError(env.call("POST", "/admin/v1/trust-anchors/abc/enable"), 400,
                                 "validation_failed", "id")
                # delete
                st, _, _ = env.call("DELETE", f"/admin/v1/trust-anchors/{id1}")
                self.assertEqual(st, 204)
                self.assertError(env.call("DELETE", f"/admin/v1/trust-anchors/{id1}"), 404,
                                 "not_found")
                self.assertEqual(env.sql("SELECT count(*) FROM trust_anchors"), "2")
                self.assertIn("event=trust_anchor_removed", env.daemon.output())

    def test_users_create_get_and_validation_errors_name_the_field(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name) as env:
                st, h, u = env.call("POST", "/admin/v1/users", body={
                    "address": "Dana@Contoso.test", "displayName": "Dana", "password": PASSWORD,
                    "proxyAddresses": ["d.x@contoso.test"]})
                self.assertEqual(st, 201, u)
                self.assertEqual(u["address"], "dana@contoso.test")
                self.assertEqual((u["displayName"], u["enabled"]), ("Dana", True))
                self.assertEqual(u["proxyAddresses"], ["d.x@contoso.test"])
                self.assertNotIn("password", u)
                self.assertEqual(h["location"], f"/admin/v1/users/{u['id']}")
                stored = env.sql("SELECT password_hash FROM users WHERE address='dana@contoso.test'")
                self.assertTrue(stored.startswith("$argon2id$"), stored)
                for key in ("dana@contoso.test", "D.X@contoso.test"):
                    st, _, got = env.call("GET", f"/admin/v1/users/{key}")
                    self.assertEqual((st, got["id"]), (200, u["id"]), got)
                self.assertError(env.call("GET", "/admin/v1/users/nobody@contoso.test"), 404,
                                 "not_found")
                self.assertError(env.call("POST", "/admin/v1/users", body={
                    "address": "other@contoso.test", "proxyAddresses": ["dana@contoso.test"]}),
                    409, "conflict")
                self.assertError(env.call("POST", "/admin/v1/users", body='{"address": "a@b",\n "x": }',
                                          headers={"Content-Type": "application/json"}),
                                 400, "invalid_json", "line 2 column")
                self.assertError(env.call("POST", "/admin/v1/users", body={"displayName": "x"}),
                                 400, "validation_failed", "address: required")
                self.assertError(env.call("POST", "/admin/v1/users", body={"address": "no-at"}),
                                 400, "validation_failed", "address: ")
                self.assertError(env.call("POST", "/admin/v1/users", body={
                    "address": "e@contoso.test", "proxyAddresses": ["ok@contoso.test", 7]}),
                    400, "validation_failed", "proxyAddresses[1]: must be a string")
                self.assertError(env.call("POST", "/admin/v1/users", body={
                    "address": "e@contoso.test", "admin": True}), 400, "validation_failed",
                    "admin: unknown field")
                self.assertError(env.call("POST", "/admin/v1/users", body=[1]), 400,
                                 "validation_failed", "body")
                self.assertEqual(env.sql("SELECT count(*) FROM users"), "1")
                self.assertNotIn(PASSWORD, env.daemon.output())
                # by numeric id, list with pagination, disable / enable, certificates
                st, _, got = env.call("GET", f"/admin/v1/users/{u['id']}")
                self.assertEqual((st, got["address"]), (200, "dana@contoso.test"))
                self.assertError(env.call("GET", "/admin/v1/users/999999"), 404, "not_found")
                for i in range(3):
                    self.assertEqual(env.call("POST", "/admin/v1/users", body={
                        "address": f"u{i}@contoso.test"})[0], 201)
                st, _, p1 = env.call("GET", "/admin/v1/users?top=3")
                self.assertEqual([x["address"] for x in p1["value"]],
                                 ["dana@contoso.test", "u0@contoso.test", "u1@contoso.test"])
                self.assertEqual(p1["nextLink"], "/admin/v1/users?top=3&skip=3")
                st, _, p2 = env.call("GET", p1["nextLink"])
                self.assertEqual([x["address"] for x in p2["value"]], ["u2@contoso.test"])
                self.assertNotIn("nextLink", p2)
                st, _, off = env.call("POST", "/admin/v1/users/d.x@contoso.test/disable")
                self.assertEqual((st, off["address"], off["enabled"]),
                                 (200, "dana@contoso.test", False), off)
                self.assertEqual(env.sql("SELECT enabled FROM users WHERE address='dana@contoso.test'"), "f")
                st, _, on = env.call("POST", f"/admin/v1/users/{u['id']}/enable")
                self.assertEqual((st, on["enabled"]), (200, True))
                self.assertError(env.call("POST", "/admin/v1/users/ghost@contoso.test/disable"),
                                 404, "not_found")
                self.assertError(env.call("POST", "/admin/v1/users/not%20an%20address/enable"),
                                 400, "validation_failed", "id")
                st, _, certs = env.call("GET", "/admin/v1/users/dana@contoso.test/certificates")
                self.assertEqual((st, certs), (200, {"value": []}))
                self.assertError(env.call("GET", "/admin/v1/users/ghost@contoso.test/certificates"),
                                 404, "not_found")

    def test_queue_list_filters_pagination_get_retry_delete(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False) as env:
                st, _, _ = env.call("POST", "/admin/v1/users", body={
                    "address": "alice@contoso.test", "password": PASSWORD})
                self.assertEqual(st, 201)
                # one inbound message delivered locally, two outbound waiting for the (refusing)
                # smarthost
                code, out = swaks(env.ports["inbound"], "--from", "ext@example.org", "--to",
                                  "alice@contoso.test")
                self.assertEqual(code, 0, out)
                for i in range(2):
                    code, out = swaks(env.ports["submission"], "--auth", "PLAIN", "--auth-user",
                                      "alice@contoso.test", "--auth-password", PASSWORD, "--from",
                                      "alice@contoso.test", "--to", f"carol{i}@example.org")
                    self.assertEqual(code, 0, out)
                wait_for(lambda: env.sql("SELECT count(*) FROM queue_recipients WHERE "
                                         "state='delivered' OR attempts > 0") == "3",
                         what="delivery attempts")
                st, _, all_ = env.call("GET", "/admin/v1/queue")
                self.assertEqual(st, 200)
                self.assertEqual(len(all_["value"]), 3)
                self.assertNotIn("nextLink", all_)
                st, _, pending = env.call("GET", "/admin/v1/queue?state=pending")
                self.assertEqual([m["recipients"][0]["address"] for m in pending["value"]],
                                 ["carol1@example.org", "carol0@example.org"])  # newest first
                item = pending["value"][0]
                self.assertEqual((item["source"], item["mailFrom"]),
                                 ("submission", "alice@contoso.test"))
                self.assertEqual(item["recipients"][0]["state"], "pending")
                self.assertEqual(item["recipients"][0]["route"], "relay")
                self.assertGreaterEqual(item["recipients"][0]["attempts"], 1)
                st, _, delivered = env.call("GET", "/admin/v1/queue?state=delivered")
                self.assertEqual(len(delivered["value"]), 1)
                self.assertEqual(delivered["value"][0]["recipients"][0]["route"], "local")
                st, _, by_sender = env.call("GET", "/admin/v1/queue?from=EXT%40example.org")
                self.assertEqual(len(by_sender["value"]), 1)
                st, _, p1 = env.call("GET", "/admin/v1/queue?state=pending&top=1")
                self.assertEqual(len(p1["value"]), 1)
                self.assertEqual(p1["nextLink"], "/admin/v1/queue?state=pending&top=1&skip=1")
                st, _, p2 = env.call("GET", p1["nextLink"])
                self.assertEqual(len(p2["value"]), 1)
                self.assertNotIn("nextLink", p2)
                self.assertNotEqual(p1["value"][0]["queueId"], p2["value"][0]["queueId"])
                self.assertError(env.call("GET", "/admin/v1/queue?state=stuck"), 400,
                                 "validation_failed", "state")
                self.assertError(env.call("GET", "/admin/v1/queue?from=nope"), 400,
                                 "validation_failed", "from")
                qid = item["queueId"]
                st, _, one = env.call("GET", f"/admin/v1/queue/{qid}")
                self.assertEqual((st, one["queueId"]), (200, qid))
                st, _, r = env.call("POST", f"/admin/v1/queue/{qid}/retry")
                self.assertEqual((st, r["queueId"], r["retried"]), (200, qid, 1), r)
                st, _, _ = env.call("DELETE", f"/admin/v1/queue/{qid}")
                self.assertEqual(st, 204)
                self.assertError(env.call("GET", f"/admin/v1/queue/{qid}"), 404, "not_found")
                self.assertError(env.call("POST", f"/admin/v1/queue/{qid}/retry"), 404, "not_found")
                self.assertError(env.call("DELETE", f"/admin/v1/queue/{qid}"), 404, "not_found")
                self.assertError(env.call("GET", "/admin/v1/queue/bad%2Fid%20x"), 400,
                                 "validation_failed", "id")
                self.assertEqual(env.sql(f"SELECT count(*) FROM queue_messages WHERE queue_id='{qid}'"), "0")
                self.assertIn(f"event=queue_message_deleted", env.daemon.output())

    def test_http_errors_are_json_404_405_413_400(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False,
                          http_extra="http:\n  max_body_bytes: 4096\n") as env:
                self.assertError(env.call("GET", "/admin/v1/nothing-here"), 404, "not_found")
                self.assertError(env.call("GET", "/no"), 404, "not_found")
                st, h, body = env.call("PUT", "/admin/v1/queue")
                self.assertEqual(st, 405)
                self.assertEqual(h["allow"], "GET")
                self.assertEqual(body["error"]["code"], "method_not_allowed")
                st, h, body = env.call("PATCH", "/admin/v1/queue/Q1")
                self.assertEqual((st, h["allow"]), (405, "GET, DELETE"))
                self.assertError(env.call("POST", "/admin/v1/trust-anchors", body=b"x" * 5000), 413,
                                 "payload_too_large")
                with socket.create_connection(("127.0.0.1", env.ports["admin"]), timeout=5) as s:
                    s.sendall(b"GARBAGE\r\n\r\n")
                    data = s.recv(65536).decode()
                    self.assertTrue(data.startswith("HTTP/1.1 400 "), data)
                    self.assertIn('"code":"bad_request"', data)
                with socket.create_connection(("127.0.0.1", env.ports["admin"]), timeout=5) as s:
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 20000 + b"\r\n\r\n")
                    data = s.recv(65536).decode()
                    self.assertTrue(data.startswith("HTTP/1.1 431 "), data)

    def test_rate_limit_answers_429_with_retry_after(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False,
                          admin_extra="  rate_limit_per_s: 1\n  rate_limit_burst: 3\n") as env:
                statuses = [env.call("GET", "/admin/v1/queue")[0] for _ in range(3)]
                self.assertEqual(statuses, [200, 200, 200])
                st, h, body = env.call("GET", "/admin/v1/queue")
                self.assertEqual(st, 429, body)
                self.assertEqual(body["error"]["code"], "rate_limited")
                self.assertEqual(h["retry-after"], "1")
                # the health routes are not limited
                for _ in range(10):
                    self.assertEqual(env.call("GET", "/healthz", token=None)[0], 200)
                time.sleep(1.1)
                self.assertEqual(env.call("GET", "/admin/v1/queue")[0], 200)

    def test_keepalive_two_requests_on_one_connection_https_and_plain(self):
        with workdir() as d, scratch_database() as (url, name):
            for tls in (True, False):
                with AdminEnv(d, url, name, tls=tls) as env:
                    conn = env.connection()
                    try:
                        st1, h1, _ = env.call("GET", "/admin/v1/queue", conn=conn)
                        sock = conn.sock
                        st2, h2, _ = env.call("GET", "/admin/v1/trust-anchors", conn=conn)
                        self.assertEqual((st1, st2), (200, 200))
                        self.assertIs(conn.sock, sock, "the connection was re-opened")
                        self.assertEqual(h1["connection"], "keep-alive")
                        self.assertNotEqual(h1["x-request-id"], h2["x-request-id"])
                        if tls:
                            self.assertEqual(sock.version(), "TLSv1.2")
                    finally:
                        conn.close()
                # the next round creates its own "ops" token on the same database
                r = run("admin", "token", "revoke", "ops", "-c", env.cfg)
                self.assertEqual(r.returncode, 0, r.stderr)

    def test_https_refuses_plain_http_and_untrusted_clients_fail(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name) as env:
                # plain HTTP to the TLS listener: no HTTP answer, the connection just ends
                with socket.create_connection(("127.0.0.1", env.ports["admin"]), timeout=5) as s:
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    try:
                        data = s.recv(4096)
                    except ConnectionResetError:
                        data = b""
                    self.assertFalse(data.startswith(b"HTTP/"), data)
                # a client that does not trust the certificate fails the handshake
                ctx = ssl.create_default_context()
                c = http.client.HTTPSConnection("127.0.0.1", env.ports["admin"], timeout=5,
                                                context=ctx)
                with self.assertRaises(ssl.SSLError):
                    c.request("GET", "/healthz")
                c.close()
                self.assertEqual(env.call("GET", "/healthz", token=None)[0], 200)

    def test_slow_loris_header_timeout_closes_the_connection(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name, tls=False,
                          http_extra="http:\n  header_timeout_ms: 500\n") as env:
                with socket.create_connection(("127.0.0.1", env.ports["admin"]), timeout=5) as s:
                    start = time.time()
                    s.sendall(b"GET /admin/v1/queue HTTP/1.1\r\nHost: x\r\n")
                    for _ in range(3):
                        time.sleep(0.2)
                        try:
                            s.sendall(b"X-Slow: 1\r\n")
                        except OSError:
                            break
                    data = b""
                    while True:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                    took = time.time() - start
                    self.assertTrue(data.startswith(b"HTTP/1.1 408 "), data)
                    self.assertIn(b'"code":"request_timeout"', data)
                    self.assertLess(took, 3.0)
                # the server still serves others
                self.assertEqual(env.call("GET", "/healthz", token=None)[0], 200)

    def test_plain_http_only_on_loopback_unless_explicitly_allowed(self):
        with workdir() as d, scratch_database() as (url, name):
            env = AdminEnv(d, url, name, tls=False)
            with open(env.cfg) as f:
                text = f.read()
            public = text.replace(f"listen: \"127.0.0.1:{env.ports['admin']}\"",
                                  f"listen: \"0.0.0.0:{env.ports['admin']}\"")
            with open(env.cfg, "w") as f:
                f.write(public)
            p = subprocess.run([os.environ.get("SMIMEGW_BIN", "smimegw"), "serve", "-c", env.cfg],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("plain HTTP on a non-loopback address", p.stderr)
            self.assertIn("admin.tls.certificate_file", p.stderr)
            with open(env.cfg, "w") as f:
                f.write(public.replace("admin:\n", "admin:\n  allow_insecure_http: true\n", 1))
            with Daemon(env.cfg, env.ports):
                self.assertEqual(env.call("GET", "/admin/v1/queue")[0], 200)

    def test_request_id_is_echoed_and_logged_with_the_principal(self):
        with workdir() as d, scratch_database() as (url, name):
            with AdminEnv(d, url, name) as env:
                st, h, _ = env.call("GET", "/admin/v1/queue", headers={"X-Request-Id": "trace-42"})
                self.assertEqual((st, h["x-request-id"]), (200, "trace-42"))
                st, h, _ = env.call("GET", "/admin/v1/queue",
                                    headers={"X-Request-Id": "bad id\twith spaces"})
                self.assertNotEqual(h["x-request-id"], "bad id\twith spaces")
                generated = h["x-request-id"]
                st, h, _ = env.call("GET", "/admin/v1/nope")
                self.assertEqual(st, 404)
                log = wait_for(lambda: "rid=trace-42" in env.daemon.output() and env.daemon.output())
                self.assertRegex(log, r"event=http_request listener=admin rid=trace-42 method=GET "
                                      r"path=/admin/v1/queue status=200 principal=ops")
                self.assertIn(f"rid={generated}", log)


if __name__ == "__main__":
    unittest.main()
