"""OCSP (RFC 6960) against a real responder: `openssl ocsp -index … -port N` started by the test,
certificates from `smimegw pki issue --ocsp-url`, validated with `smimegw cert verify --ocsp`.
Good, revoked and unknown answers; a delegated responder (id-kp-OCSPSigning, issued by the CA);
a responder that is down (fail closed with --ocsp require, CRL fallback with prefer); responders
that are not authorised (no OCSPSigning EKU, another CA) and a response with a broken signature
are refused."""
import http.client
import http.server
import json
import os
import subprocess
import threading
import time
import unittest
from datetime import datetime, timedelta, timezone

from gateway import free_port, run, workdir


def sh(*args, cwd=None):
    r = subprocess.run(list(args), capture_output=True, text=True, cwd=cwd)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def pki(*args):
    r = run("pki", *args)
    if r.returncode != 0:
        raise AssertionError(f"pki {args}: {r.stderr}")
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def wait_listening(log_path, timeout=10):
    # Not by connecting: `openssl ocsp` serves one connection at a time and a probe that sends
    # nothing stalls it.
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path) as f:
            if "waiting for OCSP client connections" in f.read():
                return
        time.sleep(0.05)
    raise AssertionError(f"openssl ocsp did not start:\n{open(log_path).read()}")


class Responder:
    """`openssl ocsp` answering from an index file, signed by `signer`/`key`."""

    def __init__(self, d, port, signer, key, ca, extra=()):
        log_path = os.path.join(d, f"ocsp-{port}.log")
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            ["openssl", "ocsp", "-index", os.path.join(d, "index.txt"), "-port", str(port),
             "-rsigner", signer, "-rkey", key, "-CA", ca, "-nmin", "10", *extra],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_listening(log_path)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()


class CorruptingProxy:
    """Forwards OCSP POSTs to the responder and flips the last byte of each answer (the end of the
    signature when the responder sends no certificates)."""

    def __init__(self, port, upstream):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                c = http.client.HTTPConnection("127.0.0.1", upstream, timeout=10)
                c.request("POST", "/", body, {"Content-Type": "application/ocsp-request"})
                data = bytearray(c.getresponse().read())
                data[-1] ^= 0x01
                self.send_response(200)
                self.send_header("Content-Type", "application/ocsp-response")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(bytes(data))

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def utc(t):
    return t.strftime("%y%m%d%H%M%SZ")


class OcspTest(unittest.TestCase):
    def setUp(self):
        self.d = self.enterContext(workdir())
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.ca = os.path.join(self.d, "ca")
        init = pki("init", "--dir", self.ca, "--name", "OCSP IT Root")
        self.root, self.root_key = init["root"], os.path.join(self.ca, "root.key.pem")
        self.users = {}
        for name in ("alice", "bob", "carol", "mallory"):
            self.users[name] = pki("issue", "--dir", self.ca, "--email", f"{name}@contoso.test",
                                   "--ocsp-url", self.url)
        pki("revoke", "--dir", self.ca, "--cert", self.users["bob"]["cert"])
        self.crl = os.path.join(self.d, "root.crl")
        pki("crl", "--dir", self.ca, "--out", self.crl)
        # index.txt: alice and mallory valid, bob revoked, carol not listed (→ unknown)
        exp = utc(datetime.now(timezone.utc) + timedelta(days=365))
        rev = utc(datetime.now(timezone.utc) - timedelta(minutes=5))
        with open(os.path.join(self.d, "index.txt"), "w") as f:
            for name, state in (("alice", "V"), ("bob", "R"), ("mallory", "V")):
                u = self.users[name]
                subj = f"/CN={name}@contoso.test"
                f.write(f"{state}\t{exp}\t{rev + ',keyCompromise' if state == 'R' else ''}\t"
                        f"{u['serial']}\tunknown\t{subj}\n")
        self.responders = []

    def tearDown(self):
        for r in self.responders:
            r.stop()

    def start(self, signer=None, key=None, extra=(), port=None):
        r = Responder(self.d, port or self.port, signer or self.root, key or self.root_key,
                      self.root, extra)
        self.responders.append(r)
        return r

    def delegated(self, ca_cert, ca_key, name, eku="OCSPSigning"):
        """A responder certificate issued by ca_cert with openssl (the independent peer)."""
        p = lambda s: os.path.join(self.d, s)
        with open(p(name + ".ext"), "w") as f:
            f.write(f"keyUsage=critical,digitalSignature\nextendedKeyUsage={eku}\n")
        sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", p(name + ".key"),
           "-out", p(name + ".csr"), "-subj", f"/CN={name}")
        sh("openssl", "x509", "-req", "-in", p(name + ".csr"), "-CA", ca_cert, "-CAkey", ca_key,
           "-CAcreateserial", "-days", "30", "-extfile", p(name + ".ext"), "-out",
           p(name + ".pem"))
        return p(name + ".pem"), p(name + ".key")

    def verify(self, name, *extra, ocsp="require"):
        r = run("cert", "verify", "--cert", self.users[name]["cert"], "--trust", self.root,
                "--usage", "sign", "--ocsp", ocsp, "--json", *extra)
        self.assertIn(r.returncode, (0, 1), r.stderr)
        return r.returncode, json.loads(r.stdout)

    def codes(self, rep, key="errors"):
        return [e["code"] for e in rep[key]]

    def test_good_revoked_and_unknown_from_an_issuer_signed_responder(self):
        self.start()
        code, rep = self.verify("alice")
        self.assertEqual((code, rep["status"]), (0, "valid"), rep)
        self.assertEqual(len(rep["revocation"]), 1)
        src = rep["revocation"][0]
        self.assertIn(f"ocsp responder={self.url} status=good", src)
        self.assertIn("signer=issuer", src)
        self.assertIn("next_update=", src)
        code, rep = self.verify("bob")
        self.assertEqual(code, 1)
        self.assertEqual(self.codes(rep), ["revoked"])
        self.assertIn("status=revoked", rep["revocation"][0])
        code, rep = self.verify("carol")
        self.assertEqual(code, 1)
        self.assertEqual(self.codes(rep), ["ocsp_unknown", "revocation_unknown"])

    def test_a_delegated_responder_with_ocsp_signing_is_accepted(self):
        cert, key = self.delegated(self.root, self.root_key, "OCSP Responder")
        self.start(cert, key)
        code, rep = self.verify("alice")
        self.assertEqual(code, 0, rep)
        self.assertIn('signer=delegated CN="OCSP Responder"', rep["revocation"][0])
        code, rep = self.verify("bob")
        self.assertEqual(self.codes(rep), ["revoked"])

    def test_responder_down_fails_closed_with_require_and_falls_back_to_crls_with_prefer(self):
        code, rep = self.verify("alice")  # nothing listens on the port
        self.assertEqual(code, 1)
        self.assertEqual(self.codes(rep), ["ocsp_unavailable", "revocation_unknown"])
        self.assertIn("fetch_failed", rep["errors"][0]["message"])
        code, rep = self.verify("alice", "--crl", self.crl, ocsp="prefer")
        self.assertEqual(code, 0, rep)
        self.assertIn("ocsp_unavailable", self.codes(rep, "warnings"))
        self.assertIn("crl issuer=", rep["revocation"][0])
        code, rep = self.verify("bob", "--crl", self.crl, ocsp="prefer")
        self.assertEqual(self.codes(rep), ["revoked"])
        # prefer without any CRL: still fails closed (revocation mode require)
        code, rep = self.verify("alice", ocsp="prefer")
        self.assertEqual(code, 1)
        self.assertIn("revocation_unknown", self.codes(rep))
        # --ocsp off never asks: the CRL decides
        code, rep = self.verify("alice", "--crl", self.crl, ocsp="off")
        self.assertEqual(code, 0, rep)
        self.assertEqual(self.codes(rep, "warnings"), [])

    def test_a_responder_without_ocsp_signing_is_refused(self):
        u = self.users["mallory"]
        self.start(u["cert"], u["key"])
        code, rep = self.verify("alice")
        self.assertEqual(code, 1)
        self.assertEqual(self.codes(rep), ["ocsp_unauthorized_responder", "revocation_unknown"])
        self.assertIn("lacks id-kp-OCSPSigning", rep["errors"][0]["message"])

    def test_a_responder_of_another_ca_is_refused(self):
        other = os.path.join(self.d, "other")
        o = pki("init", "--dir", other, "--name", "Other Root")
        cert, key = self.delegated(o["root"], os.path.join(other, "root.key.pem"), "Rogue")
        self.start(cert, key)
        code, rep = self.verify("alice")
        self.assertEqual(code, 1)
        self.assertEqual(self.codes(rep), ["ocsp_unauthorized_responder", "revocation_unknown"])
        # the same responder key claiming to be the CA (its own certificate left out) is refused too
        self.responders.pop().stop()
        self.start(cert, key, extra=("-resp_no_certs", "-resp_key_id"))
        code, rep = self.verify("bob")
        self.assertEqual(self.codes(rep), ["ocsp_unauthorized_responder", "revocation_unknown"])

    def test_a_response_with_a_broken_signature_is_refused(self):
        upstream = free_port()
        self.start(port=upstream, extra=("-resp_no_certs",))
        proxy = CorruptingProxy(self.port, upstream)
        try:
            code, rep = self.verify("alice")
            self.assertEqual(code, 1)
            self.assertEqual(self.codes(rep), ["ocsp_bad_signature", "revocation_unknown"])
            code, rep = self.verify("alice", "--crl", self.crl, ocsp="prefer")
            self.assertEqual(code, 0, rep)
            self.assertIn("ocsp_bad_signature", self.codes(rep, "warnings"))
        finally:
            proxy.stop()

    def test_revocation_off_asks_nobody(self):
        code, rep = self.verify("alice", "--revocation", "off")
        self.assertEqual(code, 0, rep)
        self.assertEqual(rep["revocation"], [])


if __name__ == "__main__":
    unittest.main()
