"""docker/compose.yaml's environment makes a daemon that starts and serves: the environment block of
the smimegw service is read from the file, its /run/secrets paths point at test files, its listen
addresses keep their host (0.0.0.0, as in the container) on free ports, and the database is the
test cluster. serve refuses plain HTTP on a non-loopback address and AUTH without TLS, so a compose
file that forgets a TLS or insecure-HTTP setting fails here rather than in a deployment."""
import os
import re
import smtplib
import socket
import ssl
import http.client
import unittest

from gateway import (SOURCE_DIR, Daemon, free_port, make_tls_cert, run, scratch_database,
                     workdir, write_config)


def compose_environment():
    """KEY: value pairs of the smimegw service's environment block (a flat YAML mapping)."""
    lines = open(os.path.join(SOURCE_DIR, "docker/compose.yaml")).read().splitlines()
    env, in_service, in_env, indent = {}, False, False, None
    for line in lines:
        if re.match(r"^  smimegw:\s*$", line):
            in_service = True
            continue
        if in_service and re.match(r"^  \S", line):
            break
        if in_service and re.match(r"^    environment:\s*$", line):
            in_env = True
            continue
        if in_env:
            m = re.match(r"^( +)([A-Z0-9_]+):\s*(.*)$", line)
            if not m or (indent is not None and len(m.group(1)) != indent):
                if line.strip():
                    in_env = False
                continue
            indent = len(m.group(1))
            env[m.group(2)] = m.group(3).strip().strip('"')
    return env


class DockerEnvironmentTest(unittest.TestCase):
    def test_compose_environment_starts_a_daemon_with_tls_and_health(self):
        env = compose_environment()
        self.assertIn("SMIMEGW_ADMIN_LISTEN", env)
        with workdir() as d, scratch_database() as (db_url, _):
            cert, key = make_tls_cert(d)
            kek = os.path.join(d, "kek.bin")
            with open(kek, "wb") as f:
                f.write(os.urandom(32))
            os.chmod(kek, 0o600)
            password = os.path.join(d, "db_password")
            with open(password, "w") as f:
                f.write("unused-with-trust-auth\n")
            secrets = {"kek": kek, "tls_cert": cert, "tls_key": key, "db_password": password}
            ports = {}
            for name, value in list(env.items()):
                m = re.match(r"^/run/secrets/(\w+)$", value)
                if m:
                    self.assertIn(m.group(1), secrets, f"{name}: unknown secret {value}")
                    env[name] = secrets[m.group(1)]
                m = re.match(r"^([0-9.]+):(\d+)$", value)
                if name.endswith("_LISTEN") and m:
                    port = free_port()
                    ports[name] = port
                    env[name] = f"{m.group(1)}:{port}"
            env["SMIMEGW_DATABASE_URL"] = db_url
            env.pop("SMIMEGW_MIGRATE_ON_START", None)  # the entrypoint's job, done here by hand
            self.assertTrue(env["SMIMEGW_ADMIN_LISTEN"].startswith("0.0.0.0:"))
            self.assertTrue(env["SMIMEGW_SYNC_LISTEN"].startswith("0.0.0.0:"))

            config, cfg_ports = write_config(d, db_url)
            r = run("migrate", "-c", config, env=env)
            self.assertEqual(r.returncode, 0, r.stderr)
            cfg_ports["admin"] = ports["SMIMEGW_ADMIN_LISTEN"]
            with Daemon(config, cfg_ports, env=env) as daemon:
                # sync: HTTPS with the mounted certificate; no token → 401
                ctx = ssl.create_default_context(cafile=cert)
                ctx.check_hostname = False
                conn = http.client.HTTPSConnection("127.0.0.1", ports["SMIMEGW_SYNC_LISTEN"],
                                                   timeout=10, context=ctx)
                conn.request("GET", "/v1.0/me/settings")
                self.assertEqual(conn.getresponse().status, 401)
                conn.close()
                # plain HTTP is not spoken on the sync port
                with socket.create_connection(("127.0.0.1", ports["SMIMEGW_SYNC_LISTEN"]), 5) as s:
                    s.sendall(b"GET /v1.0/me/settings HTTP/1.1\r\nHost: x\r\n\r\n")
                    s.settimeout(5)
                    try:
                        reply = s.recv(64)
                    except OSError:
                        reply = b""
                    self.assertFalse(reply.startswith(b"HTTP/1.1 401"))
                # submission offers STARTTLS with the mounted certificate
                with smtplib.SMTP("127.0.0.1", cfg_ports["submission"], timeout=10) as smtp:
                    smtp.ehlo("client.test")
                    self.assertTrue(smtp.has_extn("starttls"))
                    smtp.starttls(context=ctx)
                    smtp.ehlo("client.test")
                    self.assertTrue(smtp.has_extn("auth"))
                self.assertEqual(daemon.stop(), 0)
