"""Inbound scenarios: mail from a partner (Fabrikam, certificate from its own CA) arrives on the
inbound listener and is read back through the sync API, as the mobile client reads it."""
import time

from clients import cms_encrypt, cms_sign, cms_verify


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def entity(text):
    return f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n".encode()


def no_mailbox_row_holds(w, secret):
    n = w.sql("SELECT count(*) FROM mailbox_messages WHERE "
              f"position(convert_to('{secret}', 'UTF8') in body) > 0")
    expect(n == "0", f"{n} mailbox row(s) hold '{secret}' in clear")


def signed_inbound_verified(w):
    """carol@fabrikam.test clear-signs with openssl; bob reads it: status valid, signer carol,
    Authentication-Results smime=pass, and the stored bytes still verify with openssl."""
    carol, bob, subject = w.people["carol"], w.address("bob"), "Harness signed inbound"
    text = "Quarterly figures, signed by Carol"
    raw = cms_sign(carol, entity(text), "-from", carol["address"], "-to", bob, "-subject",
                   subject)
    code, reply, _ = w.deliver(carol["address"], [bob], raw)
    expect(code == 250, f"inbound refused: {code} {reply}")
    m = w.sync("bob").find(subject)
    s = m["smime"]
    expect((s["signed"], s["signatureStatus"], s["signer"], s["errors"]) ==
           (True, "valid", carol["address"], []), f"smime status {s}")
    expect(text in m["body"]["content"], "body not served")
    stored = w.sync("bob").value(m["id"])
    expect(b"smime=pass" in stored and b"header.smime-identifier=carol@fabrikam.test" in stored,
           "no Authentication-Results smime=pass in $value")
    content = cms_verify(w.roots["fabrikam"], stored)
    expect(text.encode() in content, "openssl verified other content")
    return "sync smime: valid, signer carol; smime=pass; $value verifies with openssl cms"


def encrypted_inbound_decrypted_for_mobile(w):
    """carol signs, then encrypts to bob's certificate; the gateway decrypts with bob's vaulted
    key, stores the copy sealed, and the sync API serves it decrypted and verified."""
    carol, bob, subject = w.people["carol"], w.people["bob"], "Harness encrypted inbound"
    secret = "Harness-Inbound-Canary-2"
    signed = cms_sign(carol, entity(secret))
    mid = f"encrypted-inbound-{time.time_ns()}@fabrikam.test"
    raw = f"Message-ID: <{mid}>\r\n".encode() + cms_encrypt(
        bob["cert"], signed, "-from", carol["address"], "-to", bob["address"], "-subject", subject)
    expect(secret.encode() not in raw, "openssl left the text in clear")
    code, reply, _ = w.deliver(carol["address"], [bob["address"]], raw)
    expect(code == 250, f"inbound refused: {code} {reply}")
    m = w.sync("bob").find(subject)
    s = m["smime"]
    expect(s["encrypted"] is True, f"smime status {s}")
    expect((s["signatureStatus"], s["signer"]) == ("valid", carol["address"]), f"status {s}")
    expect(secret in m["body"]["content"], "the sync API did not serve the decrypted body")
    content = cms_verify(w.roots["fabrikam"], w.sync("bob").value(m["id"]))
    expect(secret.encode() in content, "$value does not carry the verified content")
    sealed = w.sql("SELECT string_agg(sealed::text, ',') FROM mailbox_messages WHERE "
                   f"mailbox = 'bob@contoso.test' AND message_id LIKE '%{mid}%'")
    expect(sealed == "true", f"bob's stored copy: sealed={sealed!r}")
    no_mailbox_row_holds(w, secret)
    return "served decrypted to bob (encrypted, signature valid); stored sealed, no clear row"
