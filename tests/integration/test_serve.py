"""`smimegw serve` and `smimegw migrate` against a real private PostgreSQL."""
import http.client
import os
import signal
import socket
import time
import unittest

from gateway import (Daemon, http_get, private_cluster, psql, run, scratch_database, workdir,
                     write_config)


class ServeTest(unittest.TestCase):
    def migrated(self, d, db_url, extra=""):
        cfg, ports = write_config(d, db_url, extra)
        r = run("migrate", "-c", cfg)
        self.assertEqual(r.returncode, 0, r.stderr)
        return cfg, ports

    def test_health_ready_metrics_then_sigterm_exits_0(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, ports = self.migrated(d, url)
            with Daemon(cfg, ports) as gw:
                status, body, headers = http_get(ports["admin"], "/healthz")
                self.assertEqual((status, body), (200, '{"status":"ok"}'))
                self.assertEqual(headers["Content-Type"], "application/json")
                self.assertTrue(headers["X-Request-Id"])
                status, body, _ = http_get(ports["admin"], "/readyz")
                self.assertEqual(status, 200, body)
                self.assertIn('"name":"database","ok":true', body)
                status, body, headers = http_get(ports["admin"], "/metrics")
                self.assertEqual(status, 200)
                self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
                self.assertIn('smimegw_http_requests_total{listener="admin",code="200"}', body)
                self.assertIn("# TYPE smimegw_build_info gauge", body)
                status, body, _ = http_get(ports["admin"], "/no/such/thing")
                self.assertEqual(status, 404)
                self.assertEqual(body, '{"error":{"code":"not_found","message":"no such resource"}}')
                started = time.time()
                self.assertEqual(gw.stop(signal.SIGTERM, timeout=10), 0)
                self.assertLess(time.time() - started, 10)
                self.assertIn("event=stopped", gw.output())
                self.assertIn("event=serving", gw.output())

    def test_sigint_with_idle_keepalive_connection_exits_promptly(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, ports = self.migrated(d, url)
            with Daemon(cfg, ports) as gw:
                conn = http.client.HTTPConnection("127.0.0.1", ports["admin"], timeout=5)
                conn.request("GET", "/healthz")
                self.assertEqual(conn.getresponse().read(), b'{"status":"ok"}')
                started = time.time()
                self.assertEqual(gw.stop(signal.SIGINT, timeout=10), 0)
                self.assertLess(time.time() - started, 3)
                conn.close()

    def test_sigterm_lets_a_request_in_flight_finish(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, ports = self.migrated(d, url)
            with Daemon(cfg, ports) as gw:
                s = socket.create_connection(("127.0.0.1", ports["admin"]))
                s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")  # headers not finished yet
                time.sleep(0.2)
                gw.proc.send_signal(signal.SIGTERM)
                time.sleep(0.2)
                s.sendall(b"\r\n")
                data = b""
                s.settimeout(5)
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                s.close()
                self.assertTrue(data.startswith(b"HTTP/1.1 200 OK"), data[:200])
                self.assertIn(b"Connection: close", data)
                gw.proc.wait(timeout=10)
                self.assertEqual(gw.proc.returncode, 0)

    def test_migrate_is_idempotent_and_reports_status(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, _ = write_config(d, url)
            first = run("migrate", "-c", cfg)
            self.assertEqual(first.returncode, 0, first.stderr)
            self.assertIn("applied 0001_", first.stdout)
            second = run("migrate", "-c", cfg)
            self.assertEqual(second.returncode, 0)
            self.assertNotIn("applied 0001_", second.stdout)
            self.assertIn("schema is current", second.stdout)
            status = run("migrate", "--status", "-c", cfg)
            self.assertEqual(status.returncode, 0)
            self.assertIn("applied  0001_", status.stdout)

    def test_serve_refuses_unmigrated_database(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, _ = write_config(d, url)
            r = run("serve", "-c", cfg, timeout=20)
            self.assertEqual(r.returncode, 1)
            self.assertIn("the database lacks migration(s) 0001_", r.stderr)
            self.assertIn("run `smimegw migrate -c CONFIG`", r.stderr)

    def test_serve_refuses_schema_ahead_of_binary(self):
        with workdir() as d, scratch_database() as (url, name):
            cfg, _ = self.migrated(d, url)
            psql("INSERT INTO schema_migrations (name) VALUES ('9000_newer_release')", db=name)
            r = run("serve", "-c", cfg, timeout=20)
            self.assertEqual(r.returncode, 1)
            self.assertIn("9000_newer_release", r.stderr)
            self.assertIn("does not know", r.stderr)
            m = run("migrate", "-c", cfg)
            self.assertEqual(m.returncode, 1)

    def test_unreachable_database_retries_then_exits_1(self):
        with workdir() as d:
            cfg, _ = write_config(d, f"host={d}/nosocket user=smimegw dbname=x",
                                  extra="")
            started = time.time()
            r = run("serve", "-c", cfg, env={"SMIMEGW_DATABASE_CONNECT_TIMEOUT_S": "2"}, timeout=30)
            took = time.time() - started
            self.assertEqual(r.returncode, 1)
            self.assertIn("database unreachable", r.stderr)
            self.assertIn("gave up after 2 s", r.stderr)
            self.assertIn("event=db_unreachable_retrying", r.stderr)
            self.assertGreaterEqual(took, 1.0)
            self.assertLess(took, 10)

    def test_empty_database_url_explains_what_to_do(self):
        with workdir() as d:
            cfg, _ = write_config(d, "")
            r = run("serve", "-c", cfg, timeout=20)
            self.assertEqual(r.returncode, 1)
            self.assertIn("database.url is empty", r.stderr)
            self.assertIn("scripts/run.sh", r.stderr)

    def test_second_serve_on_same_ports_fails_clearly(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, ports = self.migrated(d, url)
            with Daemon(cfg, ports):
                r = run("serve", "-c", cfg, timeout=20)
                self.assertEqual(r.returncode, 1)
                self.assertIn(f"admin.listen 127.0.0.1:{ports['admin']}: Address already in use",
                              r.stderr)

    def test_readyz_follows_database_outage_and_recovery(self):
        with workdir() as d, private_cluster() as pg:
            cfg, ports = self.migrated(d, pg["conninfo"])
            with Daemon(cfg, ports) as gw:
                self.assertEqual(http_get(ports["admin"], "/readyz")[0], 200)
                pg["stop"]()
                status, body, _ = http_get(ports["admin"], "/readyz")
                self.assertEqual(status, 503, body)
                self.assertIn('"ok":false', body)
                self.assertNotIn("password", body)
                self.assertEqual(http_get(ports["admin"], "/healthz")[0], 200)
                pg["start"]()
                deadline = time.time() + 10
                while http_get(ports["admin"], "/readyz")[0] != 200:
                    self.assertLess(time.time(), deadline, "did not become ready again")
                    time.sleep(0.1)
                self.assertEqual(gw.stop(), 0)

    def test_malformed_and_oversized_http_requests_get_json_errors(self):
        with workdir() as d, scratch_database() as (url, _):
            cfg, ports = self.migrated(d, url, extra="http:\n  max_body_bytes: 2048\n")
            with Daemon(cfg, ports):
                s = socket.create_connection(("127.0.0.1", ports["admin"]), timeout=5)
                s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
                data = s.recv(65536)
                s.close()
                self.assertTrue(data.startswith(b"HTTP/1.1 400"), data)
                self.assertIn(b'"code":"bad_request"', data)
                conn = http.client.HTTPConnection("127.0.0.1", ports["admin"], timeout=5)
                conn.request("POST", "/healthz", body=b"x" * 5000)
                resp = conn.getresponse()
                self.assertEqual(resp.status, 413)
                self.assertIn(b'"code":"payload_too_large"', resp.read())
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", ports["admin"], timeout=5)
                conn.request("DELETE", "/healthz")
                resp = conn.getresponse()
                self.assertEqual(resp.status, 405)
                self.assertEqual(resp.getheader("Allow"), "GET")
                conn.close()


if __name__ == "__main__":
    unittest.main()
