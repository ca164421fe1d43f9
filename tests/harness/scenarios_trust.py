"""Trust and rights scenarios: a sender whose certificate is revoked after provisioning, a CA
whose CRL server goes down (fail closed: trust.revocation require), and a label whose rights
forbid forwarding, enforced by the sync API."""
import json
import time

import gateway
from clients import cms_sign, cms_verify
from provision import DO_NOT_FORWARD, import_pkcs12
from scenarios_inbound import entity, expect
from scenarios_outbound import accepted, msip, one_copy, refused


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def revoked_sender_refused(w):
    """rita signs (accepted, verifies); her certificate is revoked and the CRL republished; once
    the daemon has fetched it, her next signed submission is refused naming her and `revoked`."""
    rita, carol = w.people["rita"], w.address("carol")
    accepted(w.submit("rita", [carol], "Harness rita before", "before", ["X-Smimegw-Sign: yes"]))
    before = one_copy(w, "carol", "Harness rita before")
    expect(b"before" in cms_verify(w.roots["contoso"], before), "rita's signature")
    w.pki("revoke", "--dir", w.ca_dir("contoso"), "--cert", rita["cert"], "--reason",
          "keyCompromise")
    w.publish_crl("contoso")
    seen = w.crl.request_count("/contoso.crl")
    # every fetch counted from now on got the new CRL; the second one proves the first applied
    wait_until(lambda: w.crl.request_count("/contoso.crl") >= seen + 2, 30, "CRL refresh")
    reply = refused(w.submit("rita", [carol], "Harness rita after", "after",
                             ["X-Smimegw-Sign: yes"]))
    expect("rita@contoso.test: signing_certificate_invalid: revoked" in reply, reply)
    expect(w.sink_copies(carol, "Harness rita after", timeout=1) == [], "a copy was relayed")
    return "signed copy verifies; after revocation 550 signing_certificate_invalid: revoked"


def cert_verify(w, who):
    return gateway.run("cert", "verify", "--cert", w.people[who]["cert"], "--trust",
                       w.roots["northwind"], "--usage", "encrypt", "--revocation", "require")


def crl_server_down_fail_closed(w):
    """Northwind's CRL server answers (control: `smimegw cert verify` passes), then stops:
    grace@northwind.test (LDAP) is refused as a recipient, henry's Northwind PKCS#12 is refused
    by the admin API with revocation_unknown, grace's signed mail is not trusted."""
    r = cert_verify(w, "grace")
    expect(r.returncode == 0, f"control: grace invalid while the CRL server runs: {r.stdout}")
    w.crl_down.stop()
    r = cert_verify(w, "grace")
    expect(r.returncode == 1 and "revocation_unknown" in r.stdout, f"cert verify: {r.stdout}")
    grace, subject = w.address("grace"), "Harness CRL down"
    reply = refused(w.submit("alice", [grace], subject, "secret", ["X-Smimegw-Encrypt: yes"]))
    expect(f"{grace}: all_invalid" in reply and "revocation_unknown" in reply, reply)
    expect(w.sink_copies(grace, subject, timeout=1) == [], "a copy was relayed")
    status, out = import_pkcs12(w, "henry")
    expect(400 <= status < 500 and "revocation_unknown" in json.dumps(out),
           f"henry's import: {status} {out}")
    raw = cms_sign(w.people["grace"], entity("signed while the CRL is unreachable"), "-from",
                   grace, "-to", w.address("bob"), "-subject", subject + " inbound")
    code, text, _ = w.deliver(grace, [w.address("bob")], raw)
    expect(code == 250, f"inbound refused: {code} {text}")
    s = w.sync("bob").find(subject + " inbound")["smime"]
    expect(s["signatureStatus"] == "unverified" and "revocation_unknown" in s["errors"],
           f"inbound status {s}")
    return ("550 all_invalid for grace; import 4xx revocation_unknown; inbound signature "
            "unverified")


def do_not_forward_forward_refused(w):
    """DoNotForward (rights view, reply, reply-all): bob sees forward=false and the sync API's
    forward answers 403; an unlabelled message forwards (202) and reaches dan."""
    subject = "Harness do not forward"
    accepted(w.submit("alice", [w.address("bob")], subject, "keep this here",
                      [msip(DO_NOT_FORWARD)]))
    bob = w.sync("bob")
    m = bob.find(subject)
    expect(m["rights"]["forward"] is False and m["rights"]["view"] is True, f"{m['rights']}")
    expect(m["sensitivityLabel"]["id"] == DO_NOT_FORWARD, f"{m['sensitivityLabel']}")
    to = {"comment": "fyi", "toRecipients": [{"emailAddress": {"address": w.address("dan")}}]}
    status, out = bob.call("POST", f"/me/messages/{m['id']}/forward", to)
    expect(status == 403, f"forward of a do-not-forward message: {status} {out}")
    refusal = out["error"]["code"]
    accepted(w.submit("alice", [w.address("bob")], "Harness forwardable", "pass it on"))
    plain = bob.find("Harness forwardable")
    status, out = bob.call("POST", f"/me/messages/{plain['id']}/forward", to)
    expect(status == 202, f"forward of an unlabelled message: {status} {out}")
    dan = w.sync("dan")

    def dan_subjects():
        return [dan.message(i).get("subject", "") for i in dan.inbox_ids()]

    wait_until(lambda: any("Harness forwardable" in s for s in dan_subjects()), 30,
               "the forwarded copy at dan")
    expect(not any(subject in s for s in dan_subjects()), "the do-not-forward message reached dan")
    return f"403 {refusal} for DoNotForward; an unlabelled forward: 202, delivered to dan"
