"""The soak test's verdict: every message that got a 250 was delivered — each local recipient
exactly once (one mailbox_messages row for (queue id, mailbox), whose Message-ID is the client's),
each remote recipient at least once (a relay-sink copy with that Message-ID and recipient) — no
queue recipient failed, no mailbox row is duplicated, no sanitizer report in the daemon logs."""
import collections
import os
import re

MAILBOX = {"a.smith@contoso.test": "alice@contoso.test"}  # proxy address -> mailbox
MESSAGE_ID = re.compile(rb"^Message-Id: *(<[^>\r\n]+>)", re.I | re.M)


class Report:
    def __init__(self):
        self.lines, self.problems = [], []


def _mailbox_rows(env):
    rows = collections.Counter()
    mids = {}
    out = env.sql("SELECT queue_id || ' ' || mailbox || ' ' || message_id FROM mailbox_messages")
    for line in out.splitlines():
        qid, mailbox, mid = (line.split(" ", 2) + [""])[:3]
        rows[(qid, mailbox)] += 1
        mids[(qid, mailbox)] = mid
    return rows, mids


def _sink_copies(sink):
    copies = collections.Counter()  # (Message-ID, recipient) -> copies
    for envelope, body in sink.messages():
        m = MESSAGE_ID.search(body.split(b"\r\n\r\n", 1)[0])
        mid = m.group(1).decode() if m else ""
        for rcpt in envelope["rcpt_tos"]:
            copies[(mid, rcpt.lower())] += 1
    return copies


def _sanitizer_reports(work):
    found = []
    for name in os.listdir(work):
        if name.endswith(".log") and "smimegw" in name:
            with open(os.path.join(work, name), errors="replace") as f:
                text = f.read()
            for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
                if marker in text:
                    found.append(f"{name}: {marker}")
    return found


def verify(env, sink, out, source_qids, work):
    r = Report()
    rows, mids = _mailbox_rows(env)
    copies = _sink_copies(sink)
    dups = [k for k, n in rows.items() if n > 1]
    r.problems += [f"local copy duplicated: queue id {q} mailbox {m} ({rows[(q, m)]} rows)"
                   for q, m in dups]
    local_ok = remote_ok = remote_extra = 0
    for mid, (rcpts, qid) in sorted(out.accepted.items()):
        for rcpt in rcpts:
            if rcpt.endswith("@contoso.test"):
                key = (qid, MAILBOX.get(rcpt, rcpt))
                if rows.get(key, 0) != 1:
                    r.problems.append(f"{mid} (queue id {qid}) got a 250 but {rcpt} has "
                                      f"{rows.get(key, 0)} mailbox rows")
                elif mids[key] != mid:
                    r.problems.append(f"mailbox row of {qid} holds {mids[key]}, not {mid}")
                else:
                    local_ok += 1
            else:
                n = copies.get((mid, rcpt), 0)
                if n < 1:
                    r.problems.append(f"{mid} (queue id {qid}) got a 250 but {rcpt} never "
                                      "reached the relay sink")
                else:
                    remote_ok += 1
                    remote_extra += n - 1
    source_ok = 0
    for qid in source_qids:
        n = rows.get((qid, "bob@contoso.test"), 0)
        if n != 1:
            r.problems.append(f"smtp-source message {qid} got a 250 but has {n} mailbox rows")
        else:
            source_ok += 1
    failed = env.sql("SELECT count(*) FROM queue_recipients WHERE state = 'failed'")
    if failed != "0":
        r.problems.append(f"{failed} queue recipients failed")
    r.problems += ["sanitizer report in " + s for s in _sanitizer_reports(work)]
    r.lines += [
        f"load client: {out.attempted} messages tried, {len(out.accepted)} got 250, "
        f"{out.temp_failures} 4xx, {out.perm_failures} 5xx, {out.conn_errors} connection errors, "
        f"{out.lost_replies} replies lost after the final dot",
        f"smtp-source: {len(source_qids)} got 250, {source_ok} delivered exactly once",
        f"local: {local_ok} recipients of 250'd messages delivered exactly once; "
        f"{sum(rows.values())} mailbox rows, {len(dups)} duplicated",
        f"remote: {remote_ok} recipients of 250'd messages at the sink, {remote_extra} extra "
        f"copies (at-least-once); sink received {sum(copies.values())} copies in all",
        f"lost: {sum(1 for p in r.problems if 'got a 250' in p)}",
    ]
    return r
