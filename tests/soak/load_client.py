"""The soak test's SMTP load: concurrent sessions that send numbered messages through the inbound
listener and record, from the client side, every message that got a 250 to its final dot (with the
queue id of the reply). A session that meets a refused connection, a reset, a timeout or a 4xx
reconnects after a short pause and goes on with new messages; a message without a 250 is counted
as not accepted (it may still be delivered: the reply can be lost after the commit)."""
import asyncio
import random
import re
import threading
import time

QUEUED = re.compile(r"^250 .*queued as ([0-9A-Z]+)")


class Outcomes:
    """Thread-safe record of what the clients saw."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = {}  # Message-ID -> (recipients, queue id)
        self.attempted = 0
        self.temp_failures = 0
        self.perm_failures = 0
        self.conn_errors = 0
        self.lost_replies = 0  # final dot sent, no reply (connection dropped)

    def add(self, field, n=1):
        with self.lock:
            setattr(self, field, getattr(self, field) + n)


async def _reply(reader, timeout):
    lines = []
    while True:
        line = await asyncio.wait_for(reader.readline(), timeout)
        if not line:
            raise ConnectionError("connection closed")
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(text)
        if len(text) < 4 or text[3] != "-":
            return lines[-1][:3], lines


async def _command(reader, writer, line, timeout):
    writer.write(line.encode() + b"\r\n")
    await writer.drain()
    return await _reply(reader, timeout)


def _body(mid, mail_from, rcpts, size, rng):
    head = (f"From: <{mail_from}>\r\nTo: {', '.join('<%s>' % r for r in rcpts)}\r\n"
            f"Subject: soak {mid}\r\nMessage-Id: {mid}\r\nDate: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
    line = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(76))
    lines = [f"{line} {i}" for i in range(max(1, size // 80))]
    lines.append(".leading dot line")  # dot-stuffing on the wire
    text = head + "\r\n".join(lines) + "\r\n"
    return text.replace("\r\n.", "\r\n..").encode()


class LoadClient:
    """`sessions` coroutines on one event loop in a thread of its own (start/stop)."""

    def __init__(self, port, sessions, local_rcpts, remote_domain, seed, tag,
                 per_connection=5, max_size=40000, timeout=30):
        self.port, self.sessions = port, sessions
        self.local_rcpts, self.remote_domain = local_rcpts, remote_domain
        self.seed, self.tag = seed, tag
        self.per_connection, self.max_size, self.timeout = per_connection, max_size, timeout
        self.out = Outcomes()
        self.stopping = threading.Event()
        self.thread = None
        self.counter = 0

    def _next(self, rng):
        with self.out.lock:
            self.counter += 1
            n = self.counter
        kind = rng.choice(("local", "local", "remote", "mixed"))
        if kind == "local":
            rcpts = [rng.choice(self.local_rcpts)]
        elif kind == "remote":
            rcpts = [f"ext{n % 7}@{self.remote_domain}"]
        else:
            rcpts = [rng.choice(self.local_rcpts), f"ext{n % 5}@{self.remote_domain}"]
        return f"<{self.tag}-{n}@soak.test>", rcpts

    async def _session(self, index):
        rng = random.Random(f"{self.seed}-{index}")
        while not self.stopping.is_set():
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection("127.0.0.1", self.port), 5)
            except (OSError, asyncio.TimeoutError):
                self.out.add("conn_errors")
                await asyncio.sleep(0.1 + rng.random() * 0.2)
                continue
            try:
                await self._messages(reader, writer, rng)
            except (OSError, ConnectionError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                self.out.add("conn_errors")
                await asyncio.sleep(0.05 + rng.random() * 0.2)
            finally:
                writer.close()

    async def _messages(self, reader, writer, rng):
        code, _ = await _reply(reader, self.timeout)
        if code != "220":
            self.out.add("temp_failures")
            await asyncio.sleep(0.2)
            return
        code, _ = await _command(reader, writer, "EHLO load.soak.test", self.timeout)
        for _ in range(rng.randint(1, self.per_connection)):
            if self.stopping.is_set():
                break
            mid, rcpts = self._next(rng)
            sender = f"load{rng.randint(1, 50)}@example.org"
            self.out.add("attempted")
            code, _ = await _command(reader, writer, f"MAIL FROM:<{sender}>", self.timeout)
            ok = code == "250"
            for r in rcpts:
                if ok:
                    code, _ = await _command(reader, writer, f"RCPT TO:<{r}>", self.timeout)
                    ok = code == "250"
            if ok:
                code, _ = await _command(reader, writer, "DATA", self.timeout)
                ok = code == "354"
            if not ok:
                self.out.add("temp_failures" if code.startswith("4") else "perm_failures")
                await _command(reader, writer, "RSET", self.timeout)
                if code.startswith("4"):
                    return  # e.g. 451 while the database is down: reconnect after a pause
                continue
            writer.write(_body(mid, sender, rcpts, rng.randint(300, self.max_size), rng) + b".\r\n")
            await writer.drain()
            try:
                code, lines = await _reply(reader, self.timeout)
            except (ConnectionError, OSError, asyncio.TimeoutError):
                self.out.add("lost_replies")
                raise
            m = QUEUED.match(lines[-1])
            if code == "250" and m:
                with self.out.lock:
                    self.out.accepted[mid] = (rcpts, m.group(1))
            else:
                self.out.add("temp_failures" if code.startswith("4") else "perm_failures")
                if code.startswith("4"):
                    return
        await _command(reader, writer, "QUIT", self.timeout)

    async def _main(self):
        await asyncio.gather(*(self._session(i) for i in range(self.sessions)))

    def start(self):
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=self.timeout + 30)
        if self.thread.is_alive():
            raise AssertionError("load client did not stop")
