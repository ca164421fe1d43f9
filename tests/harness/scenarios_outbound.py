"""Outbound scenarios: alice@contoso.test submits (STARTTLS + AUTH); every copy the relay sink
receives is opened with `openssl cms`, internal copies are read through the sync API, refusals
are checked in the 550 text before anything is queued."""
import re

from clients import cms_decrypt, cms_verify
from provision import CONFIDENTIAL, INTERNAL_ONLY
from scenarios_inbound import expect, no_mailbox_row_holds
from world import TENANT


def msip(label_id):
    return (f"msip_labels: MSIP_Label_{label_id}_Enabled=true; MSIP_Label_{label_id}_SiteId="
            f"{TENANT}; MSIP_Label_{label_id}_Method=Privileged")


def accepted(result):
    code, reply, qid = result
    expect(code == 250 and qid, f"not accepted: {code} {reply}")
    return qid


def refused(result):
    code, reply, qid = result
    expect(code == 550 and qid is None, f"not refused: {code} {reply}")
    return reply


def one_copy(w, who, subject):
    copies = w.sink_copies(w.address(who), subject)
    expect(len(copies) == 1, f"{len(copies)} copies for {who} at the sink")
    return copies[0]


def protected_label_outbound_marked_encrypted(w):
    """Confidential (encrypt, footer): carol's copy at the sink is encrypted and carries the
    marking and ContentBits; bob's local copy is sealed and served decrypted with its label."""
    subject, secret = "Harness protected label", "Harness-Confidential-Canary-3"
    to = [w.address("carol"), w.address("bob")]
    accepted(w.submit("alice", to, subject, secret, [msip(CONFIDENTIAL)]))
    raw = one_copy(w, "carol", subject)
    expect(secret.encode() not in raw, "the sink received the text in clear")
    expect(f"MSIP_Label_{CONFIDENTIAL}_ContentBits=10".encode() in raw,
           "msip_labels without ContentBits=10 (footer + encrypted)")
    inner = cms_decrypt(w.people["carol"], raw)
    expect(secret.encode() in inner and b"Labelled Confidential" in inner,
           "carol's decrypted copy lacks the text or the footer marking")
    m = w.sync("bob").find(subject)
    expect(m["sensitivityLabel"] and m["sensitivityLabel"]["id"] == CONFIDENTIAL,
           f"label {m['sensitivityLabel']}")
    expect(secret in m["body"]["content"] and "Labelled Confidential" in m["body"]["content"],
           "bob's copy not served decrypted with its marking")
    no_mailbox_row_holds(w, secret)
    return "carol decrypts (openssl), footer + ContentBits=10; bob's sealed copy served labelled"


def protected_label_external_recipient_refused(w):
    """InternalOnly with an external recipient: 550 naming carol and the reason, nothing queued;
    the same label to bob alone goes through, marked."""
    subject, secret = "Harness internal only", "Harness-InternalOnly-Canary-4"
    reply = refused(w.submit("alice", [w.address("carol"), w.address("bob")], subject, secret,
                             [msip(INTERNAL_ONLY)]))
    expect("carol@fabrikam.test: internal_only_external_recipient" in reply, reply)
    expect("bob@contoso.test:" not in reply, f"bob refused too: {reply}")
    accepted(w.submit("alice", [w.address("bob")], subject + " (bob)", secret,
                      [msip(INTERNAL_ONLY)]))
    m = w.sync("bob").find(subject + " (bob)")
    expect("INTERNAL ONLY" in m["body"]["content"], "header marking missing")
    expect(w.sink_copies(w.address("carol"), subject, timeout=1) == [], "carol got a copy")
    expect(w.sync("bob").count(subject) == 0, "the refused message reached bob")
    return "550 carol@fabrikam.test: internal_only_external_recipient; bob alone: delivered marked"


def group_expansion(w):
    """team@contoso.test = bob, carol@fabrikam.test, sales@contoso.test (= dan): signed and
    encrypted; carol's copy opens and verifies with openssl, bob and dan read theirs."""
    subject, secret = "Harness group expansion", "Harness-Group-Canary-5"
    qid = accepted(w.submit("alice", ["team@contoso.test"], subject, secret,
                            ["X-Smimegw-Sign: yes", "X-Smimegw-Encrypt: yes"]))
    raw = one_copy(w, "carol", subject)
    expect(secret.encode() not in raw, "carol's copy is in clear")
    content = cms_verify(w.roots["contoso"], cms_decrypt(w.people["carol"], raw))
    expect(secret.encode() in content, "carol's copy does not verify to the text")
    for who in ("bob", "dan"):
        m = w.sync(who).find(subject)
        s = m["smime"]
        expect(secret in m["body"]["content"], f"{who}'s copy not readable")
        expect((s["signatureStatus"], s["signer"]) == ("valid", w.address("alice")),
               f"{who}: {s}")
    trace = w.cli("trace", qid)
    for who, source in (("bob", "gal"), ("carol", "ldap:"), ("dan", "gal")):
        expect(re.search(rf"recipient_certificate\s+<{re.escape(w.address(who))}>.*"
                         rf"source={source}", trace), f"trace lacks {who}'s certificate")
    expanded = w.admin.ok("GET", "/groups/team@contoso.test/expand")
    paths = {m["address"]: m["path"] for m in expanded["members"]}
    expect(paths.get(w.address("dan")) == ["team@contoso.test", "sales@contoso.test"],
           f"admin expand: {expanded}")
    return "carol (openssl decrypt+verify), bob, dan (via team > sales) all received"


def ldap_only_recipient(w):
    """erin@fabrikam.test is in no GAL: her certificate comes from slapd; frank is nowhere."""
    status, _ = w.admin.call("GET", "/users/erin@fabrikam.test")
    expect(status == 404, f"erin is a GAL user ({status})")
    subject, secret = "Harness LDAP recipient", "Harness-Ldap-Canary-6"
    qid = accepted(w.submit("alice", [w.address("erin")], subject, secret,
                            ["X-Smimegw-Encrypt: yes"]))
    raw = one_copy(w, "erin", subject)
    expect(secret.encode() not in raw, "erin's copy is in clear")
    expect(secret.encode() in cms_decrypt(w.people["erin"], raw), "erin cannot decrypt")
    trace = w.cli("trace", qid)
    expect(re.search(r"recipient_certificate\s+<erin@fabrikam\.test>.*source=ldap:"
                     + re.escape(w.slapd.endpoint), trace), "trace lacks source=ldap")
    reply = refused(w.submit("alice", ["frank@fabrikam.test"], subject + " (frank)", secret,
                             ["X-Smimegw-Encrypt: yes"]))
    expect("frank@fabrikam.test: no_certificate" in reply, reply)
    return f"erin decrypts; trace source=ldap:{w.slapd.endpoint}; frank: 550 no_certificate"
