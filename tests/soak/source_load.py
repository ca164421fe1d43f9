"""smtp-source (Postfix) as a second, independent load generator during the soak. smtp-source
cannot tell which of its messages were accepted, so it runs with -v, which logs every server reply,
and the queue ids in its "250 ... queued as ID" lines are the messages it got a 250 for. It dies at
the first refused connection or unexpected reply (every kill of the daemon), so a loop starts it
again until the soak ends."""
import os
import re
import subprocess
import threading
import time

QUEUED = re.compile(r"<<< 250 .*queued as ([0-9A-Z]+)")


class SourceLoad:
    def __init__(self, port, recipient, workdir, sessions=2, batch=40, size=4096):
        self.port, self.recipient, self.workdir = port, recipient, workdir
        self.sessions, self.batch, self.size = sessions, batch, size
        self.stopping = threading.Event()
        self.runs = 0
        self.proc = None
        self.thread = None

    def _loop(self):
        while not self.stopping.is_set():
            self.runs += 1
            log = os.path.join(self.workdir, f"smtp-source.{self.runs:04d}.log")
            with open(log, "w") as f:
                self.proc = subprocess.Popen(
                    ["smtp-source", "-v", "-s", str(self.sessions), "-m", str(self.batch),
                     "-l", str(self.size), "-f", "source@example.org", "-t", self.recipient,
                     "-M", "source.soak.test", "-S", "soak smtp-source", f"127.0.0.1:{self.port}"],
                    stdout=f, stderr=subprocess.STDOUT)
                self.proc.wait()
            if self.proc.returncode != 0:
                time.sleep(0.2)

    def start(self):
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=120)
        if self.thread.is_alive():
            self.proc.kill()
            self.thread.join()

    def accepted_queue_ids(self):
        """Every queue id smtp-source got a 250 for, over all its runs."""
        ids = []
        for name in sorted(os.listdir(self.workdir)):
            if name.startswith("smtp-source.") and name.endswith(".log"):
                with open(os.path.join(self.workdir, name), errors="replace") as f:
                    ids += QUEUED.findall(f.read())
        return ids
