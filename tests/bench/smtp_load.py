#!/usr/bin/env python3
"""A small, fast SMTP load generator for the benchmarks (asyncio, one process): SESSIONS sessions
each send their share of MESSAGES copies of one message over one connection, with MAIL/RCPT/DATA
pipelined (RFC 2920) and an optional AUTH PLAIN (loopback without TLS: the daemon's
smtp.allow_auth_without_tls). Used where smtp-source cannot go (smtp-source has no AUTH).

As a library: `run(...)` returns (accepted, elapsed_s, latencies_s). As a command:
  smtp_load.py HOST:PORT MESSAGES SESSIONS FROM TO FILE [USER PASSWORD]
prints key=value lines (accepted, seconds, per_s, p50_ms, p99_ms).
"""
import asyncio
import base64
import sys
import time


def data_bytes(message):
    """The DATA payload of `message` (str or bytes): CRLF lines, dot-stuffed, with the final dot."""
    if isinstance(message, str):
        message = message.encode()
    lines = message.replace(b"\r\n", b"\n").split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = b"\r\n".join((b"." + l) if l.startswith(b".") else l for l in lines)
    return out + b"\r\n.\r\n"


async def _reply(reader):
    """One (possibly multi-line) reply: (code, text)."""
    text = b""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("connection closed")
        text += line
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3]), text.decode(errors="replace")


async def _session(host, port, count, mail_from, rcpt, payload, auth, latencies):
    reader, writer = await asyncio.open_connection(host, port)
    code, text = await _reply(reader)
    assert code == 220, text
    writer.write(b"EHLO load.example\r\n")
    code, text = await _reply(reader)
    assert code == 250, text
    if auth:
        token = base64.b64encode(b"\0" + auth[0].encode() + b"\0" + auth[1].encode())
        writer.write(b"AUTH PLAIN " + token + b"\r\n")
        code, text = await _reply(reader)
        assert code == 235, text
    envelope = f"MAIL FROM:<{mail_from}>\r\nRCPT TO:<{rcpt}>\r\nDATA\r\n".encode()
    accepted = 0
    for _ in range(count):
        t0 = time.monotonic()
        writer.write(envelope)
        for want in (250, 250, 354):
            code, text = await _reply(reader)
            assert code == want, text
        writer.write(payload)
        code, text = await _reply(reader)
        assert code == 250, text
        latencies.append(time.monotonic() - t0)
        accepted += 1
    writer.write(b"QUIT\r\n")
    await _reply(reader)
    writer.close()
    return accepted


async def _run(host, port, messages, sessions, mail_from, rcpt, message, auth):
    payload = data_bytes(message)
    latencies = []
    per = [messages // sessions + (1 if i < messages % sessions else 0) for i in range(sessions)]
    start = time.monotonic()
    done = await asyncio.gather(*(_session(host, port, n, mail_from, rcpt, payload, auth, latencies)
                                  for n in per))
    return sum(done), time.monotonic() - start, latencies


def run(host, port, messages, sessions, mail_from, rcpt, message, auth=None):
    """Sends `messages` copies of `message` in `sessions` sessions; (accepted, seconds, latencies)."""
    return asyncio.run(_run(host, port, messages, sessions, mail_from, rcpt, message, auth))


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p))]


if __name__ == "__main__":
    hostport, messages, sessions, mail_from, rcpt, path = sys.argv[1:7]
    auth = tuple(sys.argv[7:9]) if len(sys.argv) >= 9 else None
    host, port = hostport.rsplit(":", 1)
    with open(path, "rb") as f:
        msg = f.read()
    n, secs, lat = run(host, int(port), int(messages), int(sessions), mail_from, rcpt, msg, auth)
    lat.sort()
    print(f"accepted={n}\nseconds={secs:.2f}\nper_s={n / secs:.1f}")
    print(f"p50_ms={percentile(lat, 0.5) * 1000:.1f}\np99_ms={percentile(lat, 0.99) * 1000:.1f}")
