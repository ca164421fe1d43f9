"""A private slapd for the integration tests and the harness (tests/support/slapd/start.sh): people
with S/MIME certificates (userSMIMECertificate;binary) under dc=example,dc=test, anonymous read,
listening on ldap://127.0.0.1:PORT only. Nothing here is mocked."""
import base64
import os
import signal
import subprocess
import time

from gateway import free_port

START = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "support", "slapd",
                     "start.sh")


def der_of(pem_path):
    return subprocess.run(["openssl", "x509", "-in", pem_path, "-outform", "DER"], check=True,
                          capture_output=True).stdout


def people_ldif(people):
    """LDIF of the suffix and one inetOrgPerson per (cn, mail, certificate PEM path)."""
    ldif = ("dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\n"
            "o: Example\ndc: example\n\n")
    for cn, mail, pem in people:
        ldif += (f"dn: cn={cn},dc=example,dc=test\nobjectClass: inetOrgPerson\ncn: {cn}\n"
                 f"sn: {cn}\nmail: {mail}\nuserSMIMECertificate:: "
                 f"{base64.b64encode(der_of(pem)).decode()}\n\n")
    return ldif


class Slapd:
    """slapd in `directory` (config, database, people.ldif, slapd.pid) on a free port."""

    def __init__(self, directory, port=None):
        self.directory = directory
        self.port = port or free_port()

    @property
    def endpoint(self):
        return f"127.0.0.1:{self.port}"

    def start(self, people):
        """Loads `people` ((cn, mail, certificate PEM path) tuples) and starts; returns when
        slapd answers."""
        os.makedirs(self.directory, exist_ok=True)
        path = os.path.join(self.directory, "people.ldif")
        with open(path, "w") as f:
            f.write(people_ldif(people))
        r = subprocess.run([START, self.directory, str(self.port), path], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise AssertionError(f"slapd did not start: {r.stdout}{r.stderr}")
        return self

    def stop(self, timeout=5):
        """SIGTERM, then waits until the process is gone (slapd daemonizes: not our child)."""
        pidfile = os.path.join(self.directory, "slapd.pid")
        if not os.path.exists(pidfile):
            return
        with open(pidfile) as f:
            pid = int(f.read().strip())
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
