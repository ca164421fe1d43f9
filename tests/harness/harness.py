#!/usr/bin/env python3
"""smimegw integration harness (issue 8 item 6; docs/harness.md). Starts PostgreSQL (or uses the
test run's, SMIMEGW_TEST_PGHOST), slapd, two CRL servers, a relay sink and `smimegw serve`;
provisions a tenant through the admin API; runs the mission's scenarios end to end; prints a table
of scenario → pass/fail and the line "N passed, N failed". Exit 0 only when every scenario passed.

    harness.py [--bin PATH] [--keep] [--only NAME[,NAME...]] [--list]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path[:0] = [HERE, os.path.join(SOURCE, "tests", "integration", "lib")]

import gateway  # noqa: E402
import scenarios_inbound as inbound  # noqa: E402
import scenarios_outbound as outbound  # noqa: E402
import scenarios_trust as trust  # noqa: E402
from provision import provision  # noqa: E402
from world import World  # noqa: E402

SCENARIOS = [
    ("signed-inbound-verified", inbound.signed_inbound_verified),
    ("encrypted-inbound-decrypted-for-mobile", inbound.encrypted_inbound_decrypted_for_mobile),
    ("protected-label-marked-encrypted", outbound.protected_label_outbound_marked_encrypted),
    ("protected-label-external-refused", outbound.protected_label_external_recipient_refused),
    ("group-expansion", outbound.group_expansion),
    ("ldap-only-recipient", outbound.ldap_only_recipient),
    ("revoked-sender-refused", trust.revoked_sender_refused),
    ("crl-server-down-fail-closed", trust.crl_server_down_fail_closed),
    ("do-not-forward-refused", trust.do_not_forward_forward_refused),
]


def default_bin():
    for path in (os.environ.get("SMIMEGW_BIN"), os.path.join(SOURCE, "build/test/smimegw"),
                 os.path.join(SOURCE, "build/release/smimegw"), shutil.which("smimegw")):
        if path and os.access(path, os.X_OK):
            return os.path.abspath(path)
    return None


def parse_args():
    p = argparse.ArgumentParser(description="smimegw end-to-end scenarios (docs/harness.md)")
    p.add_argument("--bin", default=default_bin(), help="the smimegw binary to test")
    p.add_argument("--keep", action="store_true",
                   help="keep the work directory (config, logs, PKI, sink mail) and database")
    p.add_argument("--only", default="", help="comma-separated scenario names")
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    a = p.parse_args()
    names = [n for n, _ in SCENARIOS]
    a.only = [n for n in a.only.split(",") if n]
    unknown = [n for n in a.only if n not in names]
    if unknown:
        p.error(f"unknown scenario(s) {', '.join(unknown)}; --list shows them")
    if not a.list and (not a.bin or not os.access(a.bin, os.X_OK)):
        p.error("no smimegw binary: pass --bin PATH (e.g. build/test/smimegw)")
    return a


def pg_shell(command):
    script = os.path.join(SOURCE, "scripts", "lib", "pg.sh")
    subprocess.run(["bash", "-c", f"source {script} && {command}"], check=True,
                   capture_output=True, text=True)


class Postgres:
    """The test run's cluster (SMIMEGW_TEST_PGHOST), else a private one under the work dir."""

    def __init__(self, workdir):
        self.own = None if os.environ.get("SMIMEGW_TEST_PGHOST") else os.path.join(workdir, "pg")

    def __enter__(self):
        if self.own:
            pg_shell(f"pg_cluster_start {self.own} fast")
            os.environ["SMIMEGW_TEST_PGHOST"] = os.path.join(self.own, "run")
        return self

    def __exit__(self, *exc):
        if self.own:
            pg_shell(f"pg_cluster_stop {self.own}")


def run_scenarios(w, selected):
    rows = []
    for name, fn in selected:
        start = time.time()
        try:
            result, detail = "pass", fn(w) or ""
        except Exception as e:  # a scenario's failure is a row, never the end of the run
            result, detail = "FAIL", f"{type(e).__name__}: {e}"
        rows.append((name, result, time.time() - start, detail))
        print(f"harness: {name}: {result}", flush=True)
    return rows


def print_table(rows):
    width = max(len(r[0]) for r in rows)
    print(f"\n{'scenario':<{width}}  result  time     detail")
    print(f"{'-' * width}  ------  -------  {'-' * 40}")
    for name, result, seconds, detail in rows:
        first = detail.splitlines()[0] if detail else ""
        print(f"{name:<{width}}  {result:<6}  {seconds:6.1f}s  {first[:160]}")
    failed = [r for r in rows if r[1] != "pass"]
    for name, _, _, detail in failed:
        print(f"\n--- {name}\n{detail[:4000]}")
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed")
    return not failed


def print_daemon_problems(log, last=25):
    """The daemon's warn/error lines (structured `event=` lines; never message content)."""
    levels = ("warn", "warning", "error", "critical")
    lines = [line for line in log.splitlines() if line.split(" ", 2)[1:2] in
             [[lv] for lv in levels]]
    if lines:
        print(f"\n--- daemon warnings and errors (last {last})")
        print("\n".join(line[:300] for line in lines[-last:]))


def main():
    a = parse_args()
    if a.list:
        for name, fn in SCENARIOS:
            print(f"{name}: {' '.join(fn.__doc__.split())}")
        return 0
    selected = [(n, f) for n, f in SCENARIOS if not a.only or n in a.only]
    gateway.BIN = os.environ["SMIMEGW_BIN"] = a.bin
    os.environ.setdefault("SMIMEGW_SOURCE_DIR", SOURCE)
    workdir = tempfile.mkdtemp(prefix="smimegw-harness-")
    db = "harness_" + uuid.uuid4().hex[:10]
    print(f"harness: {a.bin}, work dir {workdir}", flush=True)
    w, ok = None, False
    try:
        with Postgres(workdir):
            gateway.psql(f"CREATE DATABASE {db} TEMPLATE template0")
            try:
                start = time.time()
                url = f"host={gateway.pg_host()} user=smimegw dbname={db}"
                w = World(workdir, url, db)
                try:
                    w.start()
                    summary = provision(w)
                except Exception as e:
                    log = w.daemon.output()[-3000:] if w.daemon else ""
                    rows = [(n, "FAIL", 0.0, f"set-up failed: {type(e).__name__}: {e}\n{log}")
                            for n, _ in selected]
                else:
                    print(f"harness: set-up {time.time() - start:.1f} s ({summary})", flush=True)
                    rows = run_scenarios(w, selected + [("daemon-clean-shutdown",
                                                         World.clean_shutdown)])
                ok = print_table(rows)
                if not ok and w.daemon:
                    print_daemon_problems(w.daemon.output())
            finally:
                if w:
                    w.close()
                if not a.keep:
                    gateway.psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    finally:
        if a.keep:
            print(f"harness: kept {workdir} (smimegw.yaml, *.log, sink/, pki/) and database {db}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
