#!/usr/bin/python3
"""Latency probe for tests/bench/relay.sh: while smtp-source loads a relay, send 10 KiB messages one
after the other over fresh connections and time each from the final "." to the 250 reply.

    relay_probe.py PORT STOPFILE SIZE RCPT

Runs until STOPFILE exists, then prints "sent=N p50_ms=X p99_ms=Y" (only 250s are counted as sent;
any other final reply is printed and makes the exit status 1).
"""
import os
import socket
import sys
import time


def reply(f):
    while True:
        line = f.readline()
        if not line:
            raise ConnectionError("connection closed")
        if line[3:4] != b"-":
            return line


def one(port, body, rcpt):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        f = s.makefile("rb")
        reply(f)
        s.sendall(b"EHLO probe.test\r\n")
        reply(f)
        s.sendall(b"MAIL FROM:<probe@client.test>\r\nRCPT TO:<" + rcpt.encode() + b">\r\nDATA\r\n")
        for _ in range(3):
            r = reply(f)
        if not r.startswith(b"354"):
            return None, r
        s.sendall(body)
        t0 = time.perf_counter()
        s.sendall(b".\r\n")
        r = reply(f)
        dt = time.perf_counter() - t0
        s.sendall(b"QUIT\r\n")
        return dt, r


def main():
    port, stopfile, size, rcpt = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    line = b"x" * 76 + b"\r\n"
    lat, failures, n = [], 0, 0
    while not os.path.exists(stopfile):
        n += 1
        head = (f"From: <probe@client.test>\r\nTo: <{rcpt}>\r\nSubject: probe {n}\r\n"
                f"Message-ID: <probe.{n}.{os.getpid()}@client.test>\r\n\r\n").encode()
        body = head + line * max(1, (size - len(head)) // len(line))
        dt, r = one(port, body, rcpt)
        if dt is not None and r.startswith(b"250"):
            lat.append(dt)
        else:
            failures += 1
            print("probe: refused:", r, file=sys.stderr)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
    print(f"sent={len(lat)} p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
