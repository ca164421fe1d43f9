#!/usr/bin/python3
"""Idle-connection check for tests/bench/relay.sh: memory per idle SMTP session, the connection
limit, and the idle timeout.

    relay_idle.py PORT PID COUNT TIMEOUT_S

Opens COUNT connections to PORT (each greeted and EHLO'd, then idle), reads the daemon's VmRSS
(PID) before and after, opens one more (the daemon runs with smtp.limits.max_connections = COUNT, so
it must get "421 4.7.0"), then waits up to TIMEOUT_S + 30 s for every idle session to be closed with
"421 4.4.2". Prints key=value lines; exit status 1 if a check fails.
"""
import selectors
import socket
import sys
import time


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def read_reply(s, deadline):
    buf = b""
    while time.time() < deadline:
        chunk = s.recv(4096)
        if not chunk:
            break
        buf += chunk
        lines = buf.split(b"\r\n")
        if len(lines) > 1 and lines[-2][3:4] == b" ":
            return buf
    return buf


def main():
    port, pid, count, timeout_s = (int(a) for a in sys.argv[1:5])
    ok = True
    time.sleep(1)
    before = rss_kib(pid)
    conns = []
    for i in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        greeting = read_reply(s, time.time() + 30)
        if not greeting.startswith(b"220"):
            print(f"error=connection {i} greeted with {greeting[:60]!r}")
            return 1
        s.sendall(b"EHLO idle.test\r\n")
        if not read_reply(s, time.time() + 30).startswith(b"250"):
            print(f"error=connection {i}: EHLO refused")
            return 1
        conns.append(s)
    opened_at = time.time()
    time.sleep(2)
    after = rss_kib(pid)
    print(f"idle_connections={count}")
    print(f"rss_before_kib={before}")
    print(f"rss_after_kib={after}")
    print(f"kib_per_connection={(after - before) / count:.1f}")

    extra = socket.create_connection(("127.0.0.1", port), timeout=30)
    over = read_reply(extra, time.time() + 30)
    extra.close()
    print(f"over_limit_reply={over.decode(errors='replace').strip()!r}")
    if not over.startswith(b"421 4.7.0"):
        ok = False

    sel = selectors.DefaultSelector()
    for s in conns:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, b"")
    closed_421, other = 0, 0
    deadline = opened_at + timeout_s + 30
    pending = len(conns)
    while pending and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            s = key.fileobj
            try:
                chunk = s.recv(4096)
            except BlockingIOError:
                continue
            data = key.data + chunk
            if chunk:
                sel.modify(s, selectors.EVENT_READ, data)
                continue
            sel.unregister(s)
            s.close()
            pending -= 1
            if data.startswith(b"421 4.4.2"):
                closed_421 += 1
            else:
                other += 1
    waited = time.time() - opened_at
    print(f"closed_with_421_4.4.2={closed_421}")
    print(f"closed_otherwise={other}")
    print(f"still_open={pending}")
    print(f"seconds_until_closed={waited:.1f}")
    if closed_421 != count:
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
