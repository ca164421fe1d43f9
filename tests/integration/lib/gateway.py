"""Integration-test support: a scratch database in the private test cluster, a config file, and the
real smimegw daemon started on free loopback ports. Nothing here is mocked."""
import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

BIN = os.environ.get("SMIMEGW_BIN", "smimegw")
SOURCE_DIR = os.environ.get("SMIMEGW_SOURCE_DIR", os.getcwd())
PG_BIN = "/usr/lib/postgresql/15/bin"


def pg_host():
    host = os.environ.get("SMIMEGW_TEST_PGHOST")
    if not host:
        raise RuntimeError("SMIMEGW_TEST_PGHOST is not set: run through scripts/test.sh")
    return host


def psql(sql, db="postgres", host=None):
    return subprocess.run([f"{PG_BIN}/psql", "-h", host or pg_host(), "-U", "smimegw", "-d", db,
                           "-v", "ON_ERROR_STOP=1", "-tAc", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


@contextlib.contextmanager
def scratch_database():
    name = "it_" + uuid.uuid4().hex[:12]
    psql(f"CREATE DATABASE {name} TEMPLATE template0")
    try:
        yield f"host={pg_host()} user=smimegw dbname={name}", name
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = f.read().split()
            return int(low), int(high)
    except OSError:
        return 32768, 60999


def free_port():
    """A bindable loopback port outside the kernel's ephemeral range, so that no outgoing
    connection (swaks, the relay client, other tests) can take it between this check and the
    daemon's bind. Random, so parallel tests rarely pick the same one."""
    import random
    low, high = _ephemeral_range()
    candidates = [(10000, low - 1)] if low > 11000 else [(high + 1, 65535)]
    lo, hi = candidates[0]
    for _ in range(200):
        port = random.randint(lo, hi)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port outside the ephemeral range")


def free_ports(n):
    ports = set()
    while len(ports) < n:
        ports.add(free_port())
    return list(ports)


def write_config(directory, db_url, extra=""):
    inbound, submission, admin, sync = free_ports(4)
    text = f"""
organization:
  hostname: mx.contoso.test
  accepted_domains: [contoso.test]
database:
  url: "{db_url}"
  connect_timeout_s: 5
smtp:
  inbound: {{listen: "127.0.0.1:{inbound}"}}
  submission: {{listen: "127.0.0.1:{submission}"}}
admin:
  listen: "127.0.0.1:{admin}"
sync:
  listen: "127.0.0.1:{sync}"
keys:
  kek_file: {directory}/kek.bin
log:
  level: debug
{extra}
"""
    path = os.path.join(directory, "smimegw.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path, {"inbound": inbound, "submission": submission, "admin": admin, "sync": sync}


def run(*args, env=None, timeout=60):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, env=e)


def http_get(port, path, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace"), dict(resp.getheaders())
    finally:
        conn.close()


class Daemon:
    """`smimegw serve` as a child process; the log is kept for assertions."""

    def __init__(self, config_path, ports, env=None):
        self.config_path = config_path
        self.ports = ports
        self.env = env or {}
        self.proc = None
        self.log_path = config_path + f".{uuid.uuid4().hex[:6]}.log"

    def start(self, wait_healthy=True, timeout=15):
        e = dict(os.environ)
        e.update(self.env)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([BIN, "serve", "-c", self.config_path], stdout=self.log,
                                     stderr=subprocess.STDOUT, env=e)
        if wait_healthy:
            self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon exited with {self.proc.returncode}:\n{self.output()}")
            try:
                status, _, _ = http_get(self.ports["admin"], "/healthz", timeout=1)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"daemon not healthy within {timeout} s:\n{self.output()}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("daemon did not stop within %d s" % timeout)
        return self.proc.returncode

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@contextlib.contextmanager
def workdir():
    d = tempfile.mkdtemp(prefix="smimegw-it-")
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def private_cluster():
    """A cluster of the test's own (for tests that stop and restart PostgreSQL)."""
    d = tempfile.mkdtemp(prefix="smimegw-pg-")
    script = os.path.join(SOURCE_DIR, "scripts/lib/pg.sh")
    def sh(cmd):
        return subprocess.run(["bash", "-c", f"source {script} && {cmd}"], check=True,
                              capture_output=True, text=True).stdout
    sh(f"pg_cluster_start {d} fast && echo $PG_CONNINFO")
    try:
        yield {"dir": d, "conninfo": f"host={d}/run user=smimegw dbname=smimegw",
               "stop": lambda: sh(f"pg_cluster_stop {d}"),
               "start": lambda: sh(f"pg_cluster_start {d} fast")}
    finally:
        sh(f"pg_cluster_stop {d}")
        shutil.rmtree(d, ignore_errors=True)


LIB_DIR = os.path.dirname(os.path.abspath(__file__))


def make_tls_cert(directory, cn="mx.contoso.test"):
    cert, key = os.path.join(directory, "tls.crt"), os.path.join(directory, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", f"/CN={cn}",
                    "-addext", f"subjectAltName=DNS:{cn},DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


class Sink:
    """The relay sink (tests/integration/lib/sink.py) as a child process."""

    def __init__(self, directory, port=None, refuse=()):
        self.directory = directory
        self.port = port or free_port()
        self.refuse = list(refuse)
        self.proc = None

    def start(self):
        args = ["/usr/bin/python3", os.path.join(LIB_DIR, "sink.py"), str(self.port), self.directory]
        for r in self.refuse:
            args += ["--refuse", r]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if "ready" not in line:
            raise AssertionError("sink did not start: " + line + self.proc.stdout.read())
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def messages(self):
        out = []
        if not os.path.isdir(self.directory):
            return out
        for name in sorted(os.listdir(self.directory)):
            if name.endswith(".eml"):
                with open(os.path.join(self.directory, name), "rb") as f:
                    body = f.read()
                import json
                with open(os.path.join(self.directory, name[:-4] + ".json")) as f:
                    env = json.load(f)
                out.append((env, body))
        return out

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def swaks(port, *args, timeout=60):
    r = subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(port), "--helo", "client.test",
                        "--timeout", "30", *args], capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr


def wait_for(predicate, timeout=20, interval=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")
