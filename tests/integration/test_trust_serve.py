"""`serve` holds one trust validator over the database (trust_anchors, crl_cache) and refreshes the
held CRLs before their nextUpdate: a CRL fetched by `cert verify --db` is re-fetched by the daemon
from a test HTTP server, the new copy (listing a revocation) lands in crl_cache, a failing
distribution point is retried with backoff, and both are logged and counted in /metrics."""
import http.server
import os
import re
import threading
import unittest

from gateway import (Daemon, free_port, http_get, run, scratch_database, wait_for, workdir,
                     write_config)


class CrlServer:
    """Serves files from a dict; counts requests per path; `failing` answers 503."""

    def __init__(self):
        self.files, self.counts, self.failing = {}, {}, False
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.counts[self.path] = outer.counts.get(self.path, 0) + 1
                body = outer.files.get(self.path)
                if outer.failing or body is None:
                    self.send_response(503 if outer.failing else 404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.port = free_port()
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def pki(*args):
    r = run("pki", *args)
    assert r.returncode == 0, r.stderr
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


class TrustServeTest(unittest.TestCase):
    def test_serve_refreshes_a_held_crl_before_next_update_and_backs_off_on_failure(self):
        d = self.enterContext(workdir())
        url, _ = self.enterContext(scratch_database())
        srv = CrlServer()
        self.addCleanup(srv.stop)
        config, ports = write_config(d, url, extra="""
trust:
  crl_refresh_margin_s: 172800
  crl_refresh_check_s: 1
  crl_refresh_max_backoff_s: 4
""")
        self.assertEqual(run("migrate", "-c", config).returncode, 0)
        ca = os.path.join(d, "ca")
        init = pki("init", "--dir", ca, "--name", "Refresh IT Root")
        crl_url = srv.url("/root.crl")
        alice = pki("issue", "--dir", ca, "--email", "alice@contoso.test", "--crl-url", crl_url)

        def publish():
            path = os.path.join(d, "root.crl")
            pki("crl", "--dir", ca, "--out", path, "--next-update-days", "1")
            with open(path, "rb") as f:
                srv.files["/root.crl"] = f.read()

        publish()
        self.assertEqual(run("trust", "add", init["root"], "-c", config).returncode, 0)

        def verify(*extra):
            return run("cert", "verify", "--cert", alice["cert"], "--db", "-c", config,
                       "--usage", "sign", *extra)

        r = verify()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(srv.counts.get("/root.crl"), 1)  # fetched once, kept in crl_cache

        # `smime verify --db` validates the signer against the same collection and CRL cache
        msg = os.path.join(d, "m.eml")
        with open(msg, "w") as f:
            f.write("From: alice@contoso.test\r\nTo: bob@contoso.test\r\nSubject: s\r\n"
                    "Content-Type: text/plain\r\n\r\nhello\r\n")
        signed = os.path.join(d, "m.signed.eml")
        r = run("smime", "sign", "--signer", alice["cert"], "--key", alice["key"], "--in", msg,
                "--out", signed)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("smime", "verify", "--in", signed, "--db", "-c", config, "--offline", "--json")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('"trust":{"status":"valid"', r.stdout)

        pki("revoke", "--dir", ca, "--cert", alice["cert"])
        publish()
        r = verify("--offline")  # the database copy does not know the revocation yet
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        with Daemon(config, ports) as daemon:
            wait_for(lambda: "event=crl_cache_loaded crls=1" in daemon.output(), 10,
                     what="crl_cache loaded")
            wait_for(lambda: re.search(r"event=crl_refreshed url=\S*root\.crl next_update=",
                                       daemon.output()), 15, what="crl_refreshed")
            self.assertGreaterEqual(srv.counts["/root.crl"], 2)
            r = verify("--offline")  # the daemon wrote the new CRL through to crl_cache
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("error: revoked", r.stdout)

            status, body, _ = http_get(ports["admin"], "/metrics")
            self.assertEqual(status, 200)
            ok = re.search(r'smimegw_crl_refresh_total\{result="ok"\} (\d+)', body)
            self.assertTrue(ok and int(ok.group(1)) >= 1, body)
            self.assertIn("smimegw_crls_held 1", body)

            srv.failing = True
            wait_for(lambda: re.search(r"event=crl_refresh_failed url=\S*root\.crl "
                                       r"error=\"?http_status.*failures=2", daemon.output()),
                     20, what="two failed refreshes")
            failed_at = srv.counts["/root.crl"]
            log = daemon.output()
            retries = re.findall(r"event=crl_refresh_failed .*failures=(\d+)", log)
            self.assertEqual(retries[:2], ["1", "2"])
            status, body, _ = http_get(ports["admin"], "/metrics")
            failed = re.search(r'smimegw_crl_refresh_total\{result="failed"\} (\d+)', body)
            self.assertTrue(failed and int(failed.group(1)) >= 2, body)
            srv.failing = False
            wait_for(lambda: srv.counts["/root.crl"] > failed_at and
                     daemon.output().count("event=crl_refreshed") >= 2, 15, what="recovery")
            self.assertEqual(daemon.stop(), 0)


if __name__ == "__main__":
    unittest.main()
