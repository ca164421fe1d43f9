#!/usr/bin/env python3
"""Writes the generated seed inputs of the fuzz targets added by issue 9 into tests/fuzz/seeds/
(committed; re-run only to change them). Small files, one shape each: SMTP transcripts, YAML
configurations, API JSON bodies, certificate containers (PEM, DER, PKCS#7, SST) and CRLs with the
extensions the CRL index classifies. Certificates and CRLs are made here with `cryptography`
(small RSA keys, fixed dates), so the seeds carry no key anyone uses."""
import datetime as dt
import os
import struct
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

here = os.path.dirname(os.path.abspath(__file__))


def put(target, name, data):
    d = os.path.join(here, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# ---- SMTP: first byte picks the listener in smtp_session ("0" inbound, "1" submission) -------
C = "\r\n"
smtp = {
    "inbound_one": "0EHLO c.test" + C + "MAIL FROM:<a@c.test> SIZE=100 BODY=8BITMIME" + C +
    "RCPT TO:<u@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u+2B1@example.test" + C +
    "DATA" + C + "Subject: hi" + C + C + "..dot" + C + "." + C + "QUIT" + C,
    "inbound_pipelined": "0EHLO c.test" + C + "MAIL FROM:<> RET=HDRS ENVID=x+2By" + C +
    "RCPT TO:<bad@example.test>" + C + "RCPT TO:<tmp@example.test>" + C +
    "RCPT TO:<ok@example.test>" + C + "DATA" + C + "X-Fail: yes" + C + C + "body" + C + "." + C +
    "RSET" + C + "NOOP" + C + "VRFY x" + C + "EXPN x" + C + "HELP" + C + "STARTTLS" + C,
    "inbound_helo": "0HELO c.test" + C + "MAIL FROM:<a@c.test> SMTPUTF8" + C +
    "MAIL FROM:<a@c.test>" + C + "RCPT TO:<\u00fc@example.test>" + C + "DATA x" + C + "DATA" + C,
    "inbound_smuggle": "0EHLO c.test" + C + "MAIL FROM:<a@c.test>" + C +
    "RCPT TO:<u@example.test>" + C + "DATA" + C + "a\n.\nMAIL FROM:<x@y>\r\n" + "b\r.\r" + C +
    "." + C,
    "inbound_big": "0EHLO c.test" + C + "MAIL FROM:<a@c.test> SIZE=999999" + C +
    "MAIL FROM:<a@c.test>" + C + "RCPT TO:<u@example.test>" + C + "DATA" + C +
    ("x" * 1200) + C + "." + C + "MAIL FROM:<a@c.test>" + C + "RCPT TO:<u@example.test>" + C +
    "DATA" + C + (("y" * 90 + C) * 60) + "." + C,
    "submission_plain": "1EHLO c.test" + C + "MAIL FROM:<u@example.test>" + C +
    "AUTH PLAIN AHUAcA==" + C + "MAIL FROM:<u@example.test>" + C + "RCPT TO:<x@ext.test>" + C +
    "DATA" + C + "Subject: s" + C + C + "b" + C + "." + C,
    "submission_login": "1EHLO c.test" + C + "AUTH LOGIN" + C + "dQ==" + C + "cA==" + C +
    "AUTH PLAIN" + C + "*" + C,
    "submission_bad": "1EHLO c.test" + C + "AUTH LOGIN" + C + "ZG93bg==" + C + "cA==" + C +
    "AUTH CRAM-MD5" + C + "AUTH PLAIN !!!" + C + "AUTH PLAIN AHUAeA==" + C,
}
for k, v in smtp.items():
    put("smtp", k, v)

# ---- YAML configuration ------------------------------------------------------------------------
put("config_yaml", "minimal.yaml", "organization:\n  name: Contoso\n  hostname: mx.contoso.test\n"
    "  accepted_domains: [contoso.test]\n")
put("config_yaml", "flat_keys.yaml", "smtp.inbound.listen: \"127.0.0.1:2525\"\n"
    "smtp.limits.max_recipients: 10\nrelay.tls: required\n")
put("config_yaml", "errors.yaml", "smtp:\n  inbound: {listen: \"[::1]:99999\"}\n  bogus: 1\n"
    "database:\n  pool_size: -3\n  pool_size: 4\nrelay:\n  routes: [{domain: x.test, host: "
    "\"mx.x.test:25\", tls: maybe}]\n")
put("config_yaml", "env.yaml", "organization: {name: A}\n---env\nDATABASE_POOL_SIZE=7\n"
    "SMTP_INBOUND_LISTEN=[::]:25\nRELAY_ROUTES=[{domain: a.test, host: \"h:25\"}]\n")
put("config_yaml", "anchors.yaml", "base: &b {listen: \"0.0.0.0:2525\"}\nsmtp:\n  inbound: *b\n"
    "  submission: *b\n")

# ---- API JSON bodies: first line = request target after /admin/v1/users ----------------------
J = {
    "user": "\n{\"address\":\"A@Contoso.test\",\"displayName\":\"A\",\"password\":\"pw\","
            "\"proxyAddresses\":[\"a2@contoso.test\",\"smtp:a3@contoso.test\"]}",
    "user_bad": "?top=0&skip=-1\n{\"address\":1,\"extra\":[{},[],null,1e999]}",
    "page": "?top=500&skip=1000000&x=%41%zz+b\n[]",
    "path": "/a%2Fb%40c.test/certificates\n\"just a string\"",
    "enable": "/7/enable\n{\"address\":\"x@y\",\"proxyAddresses\":null}",
    "send": "\n{\"message\":{\"subject\":\"Gr\u00fc\u00dfe\",\"body\":{\"contentType\":\"html\","
            "\"content\":\"<p>hi</p>\"},\"toRecipients\":[{\"emailAddress\":{\"address\":"
            "\"b@fabrikam.test\",\"name\":\"B \\\"Q\\\"\"}}],\"ccRecipients\":[],"
            "\"bccRecipients\":[{\"emailAddress\":{\"address\":\"c@x.test\"}}],\"attachments\":"
            "[{\"@odata.type\":\"#microsoft.graph.fileAttachment\",\"name\":\"a.txt\","
            "\"contentType\":\"text/plain\",\"contentBytes\":\"aGVsbG8=\"}],"
            "\"internetMessageHeaders\":[{\"name\":\"X-Test\",\"value\":\"v\"}]},"
            "\"saveToSentItems\":false,\"sign\":true,\"encrypt\":false}",
    "deep": "\n" + "[" * 40 + "]" * 40,
}
for k, v in J.items():
    put("http_json", k, v)

# ---- certificates and CRLs -----------------------------------------------------------------
T0 = dt.datetime(2025, 1, 1)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def cert(subject, issuer, pub, signer, ca, serial, days=3650, not_before=T0):
    b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
         .public_key(pub).serial_number(serial).not_valid_before(not_before)
         .not_valid_after(not_before + dt.timedelta(days=days)))
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    return b.sign(signer, hashes.SHA256())


rk, ik, lk = key(), key(), key()
root = cert("Fuzz Root", "Fuzz Root", rk.public_key(), rk, True, 1)
inter = cert("Fuzz Intermediate", "Fuzz Root", ik.public_key(), rk, True, 2)
leaf = cert("leaf@example.test", "Fuzz Intermediate", lk.public_key(), ik, False, 3)
old = cert("Old Root", "Old Root", rk.public_key(), rk, True, 4, days=30,
           not_before=dt.datetime(2001, 1, 1))
pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
der = lambda c: c.public_bytes(serialization.Encoding.DER)
put("trust_import", "bundle.pem", pem(root) + pem(root) + pem(leaf) + pem(old) + pem(inter) +
    lk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                     serialization.NoEncryption()))
put("trust_import", "root.der", der(root))
with tempfile.TemporaryDirectory() as t:
    src = os.path.join(t, "in.pem")
    with open(src, "wb") as f:
        f.write(pem(root) + pem(inter))
    p7 = subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", src, "-outform", "DER"],
                        check=True, capture_output=True).stdout
    p7pem = subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", src],
                           check=True, capture_output=True).stdout
put("trust_import", "certs.p7b", p7)
put("trust_import", "certs_p7.pem", p7pem)


def element(prop, data):
    return struct.pack("<III", prop, 1, len(data)) + data


sst = b"\x00\x00\x00\x00CERT" + element(0x0B, "Root".encode("utf-16-le") + b"\x00\x00")
sst += element(0x20, der(root)) + element(0x03, b"\x11" * 20) + element(0x20, der(inter))
sst += element(0x21, b"\x30\x00") + struct.pack("<III", 0, 0, 0)
put("trust_import", "store.sst", sst)
put("trust_import", "store_unterminated.sst", sst[:-12])


def crl(entries, extensions=()):
    b = (x509.CertificateRevocationListBuilder().issuer_name(name("Fuzz Intermediate"))
         .last_update(T0))
    b = b.next_update(T0 + dt.timedelta(days=7))
    for ext, critical in extensions:
        b = b.add_extension(ext, critical=critical)
    for serial, reason in entries:
        e = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(T0)
        if reason is not None:
            e = e.add_extension(x509.CRLReason(reason), critical=False)
        b = b.add_revoked_certificate(e.build())
    return b.sign(ik, hashes.SHA256())


R = x509.ReasonFlags
c1 = crl([(3, R.key_compromise), (0x80, None), (0x1234567890, R.remove_from_crl)],
         [(x509.CRLNumber(5), False)])
put("crl", "plain.crl", c1.public_bytes(serialization.Encoding.DER))
put("crl", "plain_pem.crl", c1.public_bytes(serialization.Encoding.PEM) +
    crl([]).public_bytes(serialization.Encoding.PEM))
idp = x509.IssuingDistributionPoint(
    full_name=[x509.UniformResourceIdentifier("http://crl.example.test/i.crl")],
    relative_name=None, only_contains_user_certs=True, only_contains_ca_certs=False,
    only_some_reasons=None, indirect_crl=False, only_contains_attribute_certs=False)
put("crl", "idp.crl", crl([(9, None)], [(idp, True)]).public_bytes(serialization.Encoding.DER))
idp2 = x509.IssuingDistributionPoint(
    full_name=None, relative_name=None, only_contains_user_certs=False,
    only_contains_ca_certs=False, only_some_reasons=frozenset([R.key_compromise]),
    indirect_crl=True, only_contains_attribute_certs=False)
put("crl", "idp_unsupported.crl",
    crl([], [(idp2, True)]).public_bytes(serialization.Encoding.DER))
put("crl", "delta.crl", crl([(1, R.superseded)], [(x509.CRLNumber(6), False),
                                                   (x509.DeltaCRLIndicator(5), True)])
    .public_bytes(serialization.Encoding.DER))
print("seeds written under", here, file=sys.stderr)
