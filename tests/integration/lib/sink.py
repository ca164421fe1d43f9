#!/usr/bin/python3
"""A real SMTP relay sink for integration tests (aiosmtpd from Debian's python3-aiosmtpd).

    sink.py PORT DIR [--refuse ADDRESS:CODE ...] [--tls CERT KEY] [--auth USER:PASSWORD]

Every accepted message is written to DIR/NNNN.eml with the envelope in DIR/NNNN.json. A recipient
listed with --refuse gets that reply code (e.g. x@example.org:550). With --auth, MAIL needs AUTH
(PLAIN/LOGIN) with exactly those credentials, also without TLS; the JSON records the "auth" user.
Prints "ready" when listening.
"""
import asyncio
import json
import os
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = refuse
        self.lock = threading.Lock()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.refuse.get(address.lower())
        if code:
            text = "no such user" if code.startswith("5") else "try again later"
            return f"{code} {code[0]}.1.1 {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, f"{n:04d}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "tls": session.ssl is not None,
                       "auth": getattr(session, "auth_data", None)}, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 stored as %04d" % n


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    refuse, tls, auth = {}, None, None
    args = sys.argv[3:]
    while args:
        if args[0] == "--refuse":
            addr, code = args[1].rsplit(":", 1)
            refuse[addr.lower()] = code
            args = args[2:]
        elif args[0] == "--auth":
            auth = args[1].split(":", 1)
            args = args[2:]
        elif args[0] == "--tls":
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(args[1], args[2])
            args = args[3:]
        else:
            raise SystemExit("unknown argument " + args[0])
    os.makedirs(directory, exist_ok=True)
    extra = {}
    if auth:
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        def authenticator(server, session, envelope, mechanism, data):
            ok = (data.login.decode() == auth[0] and data.password.decode() == auth[1])
            return AuthResult(success=ok, handled=False, auth_data=data.login.decode() if ok else None)
        extra = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    controller = Controller(Handler(directory, refuse), hostname="127.0.0.1", port=port,
                            tls_context=tls, require_starttls=False, decode_data=False, **extra)
    controller.start()
    print("ready", flush=True)
    try:
        threading.Event().wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
