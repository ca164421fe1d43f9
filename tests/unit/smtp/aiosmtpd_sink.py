#!/usr/bin/python3
"""Relay sink for the smtp client tests (system python3 + Debian python3-aiosmtpd).

usage: aiosmtpd_sink.py PORT OUTDIR
Accepts every recipient except those whose local part starts with "reject" (550 5.1.1) or
"defer" (451 4.2.0); writes each message to OUTDIR/N.eml (bytes as received, after the server's
dot-unstuffing) and its envelope to OUTDIR/N.env. Writes OUTDIR/ready when listening.
"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0]
        if local.startswith("reject"):
            return "550 5.1.1 no such user"
        if local.startswith("defer"):
            return "451 4.2.0 try later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.outdir, str(self.n))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "\n".join(envelope.rcpt_tos) + "\n")
        return "250 2.0.0 queued as sink%d" % self.n


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(outdir), hostname="127.0.0.1", port=port,
                            decode_data=False)
    controller.start()
    open(os.path.join(outdir, "ready"), "w").close()
    try:
        asyncio.get_event_loop().run_until_complete(asyncio.sleep(120))
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
