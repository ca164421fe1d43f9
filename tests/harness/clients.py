"""The harness's peers of the gateway: the admin API, the sync API (as the mobile client uses it),
SMTP on the inbound and submission listeners, and `openssl cms` as the other side of S/MIME."""
import http.client
import json
import re
import smtplib
import ssl
import subprocess
import time
import urllib.parse


class HttpError(AssertionError):
    pass


def http_call(port, method, path, body=None, token=None, headers=None, timeout=30):
    """(status, parsed JSON or raw bytes) of one request to 127.0.0.1:port."""
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        h.setdefault("Content-Type", "application/json")
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=h)
        resp = c.getresponse()
        raw = resp.read()
        if resp.getheader("Content-Type", "").startswith("application/json") and raw:
            return resp.status, json.loads(raw)
        return resp.status, raw
    finally:
        c.close()


class Admin:
    """The admin API (/admin/v1) with a bearer token."""

    def __init__(self, port, token):
        self.port, self.token = port, token

    def call(self, method, path, body=None, headers=None):
        return http_call(self.port, method, "/admin/v1" + path, body, self.token, headers)

    def ok(self, method, path, body=None, headers=None, expect=(200, 201, 204)):
        status, data = self.call(method, path, body, headers)
        if status not in expect:
            raise HttpError(f"{method} /admin/v1{path}: {status} {data!r}"[:400])
        return data


class Sync:
    """One user's session on the Graph-style sync API (/v1.0), as a mobile client holds it."""

    def __init__(self, port, user, password):
        self.port, self.user = port, user
        form = urllib.parse.urlencode({"grant_type": "password", "username": user,
                                       "password": password, "client_id": "harness"})
        status, data = http_call(port, "POST", "/v1.0/oauth2/token", form,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 200:
            raise HttpError(f"token grant for {user}: {status} {data!r}")
        self.token = data["access_token"]
        # the client turns S/MIME on, as the apps do: sealed mail is served only then
        status, data = self.call("PATCH", "/me/settings", {"smimeEnabled": True})
        if status != 200:
            raise HttpError(f"settings of {user}: {status} {data!r}")

    def call(self, method, path, body=None):
        return http_call(self.port, method, "/v1.0" + path, body, self.token)

    def inbox_ids(self):
        link, ids = "/v1.0/me/mailFolders/inbox/messages/delta", []
        while link:
            status, page = http_call(self.port, "GET", link, token=self.token)
            if status != 200:
                raise HttpError(f"delta for {self.user}: {status} {page!r}")
            ids += [m["id"] for m in page["value"] if "@removed" not in m]
            link = page.get("@odata.nextLink")
        return ids

    def message(self, mid):
        status, m = self.call("GET", f"/me/messages/{mid}?$select=subject,body,from,smime,"
                                     "sensitivityLabel,rights,internetMessageHeaders")
        if status != 200:
            raise HttpError(f"message {mid} of {self.user}: {status} {m!r}")
        return m

    def find(self, subject, timeout=30):
        """The message with this subject, waiting for its delivery (the worker runs after 250)."""
        deadline = time.time() + timeout
        while True:
            for mid in self.inbox_ids():
                m = self.message(mid)
                if m.get("subject") == subject:
                    return m
            if time.time() > deadline:
                raise AssertionError(f"{self.user}: no message '{subject}' within {timeout} s")
            time.sleep(0.3)

    def count(self, subject):
        return sum(1 for mid in self.inbox_ids() if self.message(mid).get("subject") == subject)

    def value(self, mid):
        status, raw = self.call("GET", f"/me/messages/{mid}/$value")
        if status != 200:
            raise HttpError(f"$value of {mid}: {status} {raw!r}")
        return raw


def compose(sender, to, subject, body, headers=()):
    lines = [f"From: {sender}", f"To: {', '.join(to)}", f"Subject: {subject}",
             f"Message-ID: <{time.time_ns()}@harness.test>", "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=utf-8", *headers, "", body, ""]
    return "\r\n".join(lines).encode()


def smtp_send(port, mail_from, rcpts, data, login=None):
    """(code, reply text, queue id or None) of the end of the transaction. With `login`
    (user, password): STARTTLS and AUTH first (submission). Refusals are returned, not raised."""
    with smtplib.SMTP("127.0.0.1", port, local_hostname="client.harness.test", timeout=90) as s:
        s.ehlo()
        if login:
            s.starttls(context=ssl._create_unverified_context())
            s.ehlo()
            s.login(*login)
        code, text = s.mail(mail_from)
        for r in rcpts if code == 250 else ():
            code, text = s.rcpt(r)
            if code not in (250, 251):
                break
        if code in (250, 251):
            code, text = s.data(data)
        text = text.decode("utf-8", "replace")
        qid = re.search(r"queued as ([0-9A-Z]{16})", text)
        return code, text, qid.group(1) if qid else None


def openssl(*args, data=None):
    r = subprocess.run(["openssl", *args], input=data, capture_output=True)
    if r.returncode != 0:
        raise AssertionError(f"openssl {args[0]} {args[1]}: {r.stderr.decode()[:300]}")
    return r.stdout


def cms_decrypt(person, message):
    return openssl("cms", "-decrypt", "-recip", person["cert"], "-inkey", person["key"],
                   data=message)


def cms_verify(ca_file, message):
    """The signed content, after openssl checked the signature and the chain to `ca_file`."""
    return openssl("cms", "-verify", "-CAfile", ca_file, data=message)


def cms_sign(person, mime_entity, *fields):
    """A clear-signed entity (multipart/signed) made by openssl; `fields` such as "-from", A,
    "-to", B, "-subject", S make it a whole RFC 5322 message."""
    return openssl("cms", "-sign", "-signer", person["cert"], "-inkey", person["key"], *fields,
                   data=mime_entity)


def cms_encrypt(recipient_cert, message, *fields):
    """An RFC 5322 message enveloped (AES-256-CBC) to `recipient_cert`, headers from `fields`."""
    return openssl("cms", "-encrypt", "-aes256", *fields, recipient_cert, data=message)
