"""The harness's world: a work directory and a scratch database, three test PKIs made by `smimegw
pki` (Contoso for the users, Fabrikam for partners, Northwind whose CRL server will go down), two
CRL servers, a private slapd with the partners' certificates, the relay sink, the gateway's config
(revocation required) and the daemon. Provisioning through the admin API is in provision.py."""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import gateway
from clients import Admin, Sync, compose, smtp_send
from crl_server import CrlServer
from ldap import Slapd

TENANT = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"
PASSWORD = "Harness-Mailbox-Passw0rd"
P12_PASSWORD = "Harness-Pkcs12-Passw0rd"

# name → (address, PKI); internal people get a PKCS#12 file, partners live in LDAP
PEOPLE = {
    "alice": ("alice@contoso.test", "contoso"), "bob": ("bob@contoso.test", "contoso"),
    "dan": ("dan@contoso.test", "contoso"), "rita": ("rita@contoso.test", "contoso"),
    "henry": ("henry@contoso.test", "northwind"),
    "carol": ("carol@fabrikam.test", "fabrikam"), "erin": ("erin@fabrikam.test", "fabrikam"),
    "grace": ("grace@northwind.test", "northwind"),
}
USERS = ["alice", "bob", "dan", "rita", "henry"]
LDAP_PEOPLE = ["carol", "erin", "grace"]


class World:
    def __init__(self, directory, db_url, db_name):
        self.d, self.db_url, self.db_name = directory, db_url, db_name
        self.crl = CrlServer()       # Contoso and Fabrikam distribution points
        self.crl_down = CrlServer()  # Northwind's: stopped by the fail-closed scenario
        self.sink = gateway.Sink(os.path.join(directory, "sink"))
        self.slapd = Slapd(os.path.join(directory, "slapd"))
        self.daemon, self.admin, self.people, self.roots, self.sessions = None, None, {}, {}, {}

    # --- set-up -------------------------------------------------------------------------------
    def start(self):
        self.make_pki()
        self.slapd.start([(n, self.people[n]["address"], self.people[n]["cert"])
                          for n in LDAP_PEOPLE])
        self.sink.start()
        self.write_config()
        self.cli("migrate")
        self.cli("keys", "init")
        token = self.cli("admin", "token", "create", "harness").strip()
        self.daemon = gateway.Daemon(self.cfg, self.ports).start(timeout=60)
        self.admin = Admin(self.ports["admin"], token)
        return self

    def pki(self, *args):
        r = gateway.run("pki", *args)
        if r.returncode != 0:
            raise AssertionError(f"pki {' '.join(args[:3])}: {r.stderr.strip()}")
        return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)

    def crl_point(self, ca):
        server = self.crl_down if ca == "northwind" else self.crl
        return server, f"/{ca}.crl"

    def make_pki(self):
        """The three CAs, then every leaf and CRL; commands run side by side (each starts a
        process; `pki` serialises commands on one CA directory itself)."""
        pw = os.path.join(self.d, "p12.pw")
        with open(pw, "w") as f:
            f.write(P12_PASSWORD + "\n")
        cas = (("contoso", "Contoso Root"), ("fabrikam", "Fabrikam Partner Root"),
               ("northwind", "Northwind Root"))

        def issue(who):
            address, ca = PEOPLE[who]
            server, path = self.crl_point(ca)
            p12 = os.path.join(self.d, who + ".p12")
            out = self.pki("issue", "--dir", self.ca_dir(ca), "--email", address, "--name",
                           who.capitalize(), "--crl-url", server.url(path), "--out-p12", p12,
                           "--password-file", pw)
            return dict(out, address=address, ca=ca, p12=p12)

        with ThreadPoolExecutor(max_workers=6) as pool:
            roots = pool.map(lambda c: self.pki("init", "--dir", self.ca_dir(c[0]), "--name",
                                                c[1])["root"], cas)
            self.roots = dict(zip([c for c, _ in cas], roots))
            people = pool.map(issue, PEOPLE)
            list(pool.map(self.publish_crl, self.roots))
            self.people = dict(zip(PEOPLE, people))

    def ca_dir(self, ca):
        return os.path.join(self.d, "pki", ca)

    def publish_crl(self, ca):
        """A fresh CRL of `ca` (next update in a day) at its distribution point."""
        out = os.path.join(self.d, "pki", f"{ca}.crl")
        self.pki("crl", "--dir", self.ca_dir(ca), "--out", out, "--next-update-days", "1")
        server, path = self.crl_point(ca)
        server.publish(path, out)

    def write_config(self):
        cert, key = gateway.make_tls_cert(self.d)
        extra = (f"smtp:\n  tls: {{certificate_file: {cert}, key_file: {key}}}\n"
                 f"relay:\n  smarthost: \"127.0.0.1:{self.sink.port}\"\n  tls: none\n"
                 "queue:\n  poll_ms: 50\n  lease_s: 10\n  retry_schedule_s: [1]\n"
                 "trust:\n  revocation: require\n  crl_connect_timeout_ms: 2000\n"
                 "  crl_total_timeout_ms: 3000\n  crl_refresh_margin_s: 172800\n"
                 "  crl_refresh_check_s: 1\n  crl_refresh_max_backoff_s: 2\n"
                 f"ldap:\n  endpoints: [\"{self.slapd.endpoint}\"]\n  search_timeout_ms: 3000\n")
        self.cfg, self.ports = gateway.write_config(self.d, self.db_url, extra)
        with open(self.cfg) as f:
            text = f.read()
        with open(self.cfg, "w") as f:
            f.write(text.replace("organization:\n", f"organization:\n  tenant_id: {TENANT}\n", 1))

    def clean_shutdown(self):
        """SIGTERM after the scenarios: `serve` must exit 0 within 10 s, its log free of
        sanitizer reports (a sanitizer finding, leaks included, also makes the exit non-zero)."""
        code = self.daemon.stop()
        log = self.daemon.output()
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:"):
            if marker in log:
                at = log.index(marker)
                raise AssertionError(f"daemon log has {marker}:\n{log[max(0, at - 200):at + 3000]}")
        if code != 0:
            raise AssertionError(f"serve exited with {code}:\n{log[-2000:]}")
        return "SIGTERM: exit 0, no sanitizer report"

    def close(self):
        if self.daemon:
            self.daemon.__exit__(None, None, None)
        self.sink.stop()
        self.slapd.stop()
        self.crl.stop()
        self.crl_down.stop()

    # --- tools for the scenarios --------------------------------------------------------------
    def cli(self, *args):
        r = gateway.run(*args, "-c", self.cfg, timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"smimegw {' '.join(args[:2])}: {r.stderr.strip()[:300]}")
        return r.stdout

    def address(self, who):
        return self.people[who]["address"]

    def submit(self, who, to, subject, body, headers=()):
        """Submission (:587 role, STARTTLS + AUTH) as `who`: (code, reply, queue id)."""
        sender = self.address(who)
        data = compose(sender, to, subject, body, headers)
        return smtp_send(self.ports["submission"], sender, to, data, login=(sender, PASSWORD))

    def deliver(self, mail_from, to, raw):
        """Inbound (:25 role) from the internet: (code, reply, queue id)."""
        return smtp_send(self.ports["inbound"], mail_from, to, raw)

    def sync(self, who):
        if who not in self.sessions:
            self.sessions[who] = Sync(self.ports["sync"], self.address(who), PASSWORD)
        return self.sessions[who]

    def sink_copies(self, rcpt, subject, timeout=30):
        """Messages the relay sink received for `rcpt` whose headers carry `subject`."""
        deadline = time.time() + timeout
        while True:
            found = [raw for env, raw in self.sink.messages()
                     if rcpt in env["rcpt_tos"] and subject.encode() in raw]
            if found or time.time() > deadline:
                return found
            time.sleep(0.2)

    def sql(self, q):
        return gateway.psql(q, db=self.db_name)
