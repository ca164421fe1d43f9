"""HTTP clients of the sync API benchmark (sync_api.py): the token, a full delta sync in pages
(keep-alive, following @odata.nextLink) and wrk with a Lua script that GETs a list of messages with
the bearer token (50 connections, keep-alive)."""
import http.client
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse


def call(conn, method, path, body=None, token=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    conn.request(method, path, body=body, headers=h)
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read() or b"null")


def login(port, user, password):
    """A bearer token of `user`, with S/MIME enabled (sealed mail is served decrypted)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                   "password": password, "client_id": "bench"})
    st, tok = call(conn, "POST", "/v1.0/oauth2/token", form,
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert st == 200, tok
    token = tok["access_token"]
    st, s = call(conn, "PATCH", "/v1.0/me/settings", json.dumps({"smimeEnabled": True}),
                 token=token, headers={"Content-Type": "application/json"})
    assert st == 200, s
    conn.close()
    return token


def full_delta(port, token, page_size):
    """One initial delta sync of the inbox over one keep-alive connection, in pages of
    `page_size`: (ids in order, total seconds, per-page seconds). Every page is parsed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    prefer = {"Prefer": f"odata.maxpagesize={page_size}"}
    path = "/v1.0/me/mailFolders/inbox/messages/delta"
    ids, pages = [], []
    start = time.monotonic()
    while True:
        t0 = time.monotonic()
        st, page = call(conn, "GET", path, token=token, headers=prefer)
        pages.append(time.monotonic() - t0)
        assert st == 200, page
        assert len(page["value"]) <= page_size, len(page["value"])
        ids += [m["id"] for m in page["value"]]
        if "@odata.nextLink" not in page:
            assert "@odata.deltaLink" in page, page.keys()
            break
        path = page["@odata.nextLink"]
    total = time.monotonic() - start
    conn.close()
    return ids, total, pages


def _to_ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)$", v)
    n, unit = float(m.group(1)), m.group(2)
    return n / 1000 if unit == "us" else n * 1000 if unit == "s" else n


def wrk_get(port, token, ids, directory, seconds, conns, pause_ms=0, threads=2):
    """wrk GETs /v1.0/me/messages/{id} round-robin over `ids`, each connection back to back
    (`pause_ms` 0: the server saturated) or pausing `pause_ms` between its requests (a client's
    think time; not counted in the latency), or, when `pause_ms` is negative, for a random think
    time of mean -pause_ms (exponential, as independent clients arrive): (requests/s, p50 ms, p90 ms, p99 ms, requests,
    non-2xx answers, socket errors)."""
    script = os.path.join(directory, "get_messages.lua")
    with open(script, "w") as f:
        f.write("local ids = {" + ",".join(f'"{i}"' for i in ids) + "}\n"
                f'local headers = {{["Authorization"] = "Bearer {token}"}}\n'
                "local n = 0\n"
                "request = function()\n"
                "  n = n + 1\n"
                '  return wrk.format("GET", "/v1.0/me/messages/" .. ids[(n % #ids) + 1], headers)\n'
                "end\n"
                + (f"delay = function() return {pause_ms} end\n" if pause_ms > 0 else "")
                # negative: think times drawn from an exponential distribution with mean
                # |pause_ms| (capped at 5x), so clients do not fall into step with each other
                + ("local threads = 0\n"
                   "setup = function(thread) threads = threads + 1; thread:set('tid', threads) end\n"
                   "init = function(args) math.randomseed(os.time() * 100 + (tid or 0)) end\n"
                   f"delay = function() return math.min({-5 * pause_ms}, "
                   f"math.floor(-math.log(1 - math.random()) * {-pause_ms})) end\n"
                   if pause_ms < 0 else "") +
                "local shown = 0\n"
                "response = function(status, headers, body)\n"
                "  if status ~= 200 and shown < 3 then\n"
                "    shown = shown + 1\n"
                '    io.write("non-2xx answer: ", status, " ", body:sub(1, 300), "\\n")\n'
                "  end\n"
                "end\n")
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s",
                          "--latency", "-s", script, f"http://127.0.0.1:{port}"],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _to_ms(re.search(rf"\s{p}%\s+(\S+)", out).group(1)) for p in (50, 90, 99)}
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        print("\n".join(l for l in out.splitlines() if l.startswith("non-2xx")), file=sys.stderr)
    errs = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return (rps, pct[50], pct[90], pct[99], total, int(bad.group(1)) if bad else 0,
            sum(int(x) for x in errs.groups()) if errs else 0)
