"""Provisioning of the harness's tenant through the admin API (/admin/v1), as an operator's
script would do it: trust anchors, users with passwords, their PKCS#12 certificates and keys,
groups, the label catalog and its policy, and the S/MIME settings. Each step is one function;
each checks the API's answer, so a provisioning regression fails the harness before any scenario."""
import base64

from world import PASSWORD, P12_PASSWORD, USERS

CONFIDENTIAL = "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f"
INTERNAL_ONLY = "9c8b7a69-5847-4362-a150-4f3e2d1c0b9a"
DO_NOT_FORWARD = "5b6c7d8e-9fa0-4b1c-8d2e-3f4a5b6c7d8e"

LABELS = [
    {"id": CONFIDENTIAL, "name": "Confidential", "display_name": "Confidential", "priority": 10,
     "marking": {"footer": "Labelled ${Item.Label}"}, "protection": "encrypt"},
    {"id": INTERNAL_ONLY, "name": "InternalOnly", "display_name": "Internal Only",
     "priority": 20, "marking": {"header": "INTERNAL ONLY"}, "protection": "encrypt",
     "scope": {"internal_only": True}},
    {"id": DO_NOT_FORWARD, "name": "DoNotForward", "display_name": "Do Not Forward",
     "priority": 30, "marking": {"header": "${Item.Label}: do not forward"},
     "protection": "encrypt", "rights": ["view", "reply", "reply-all"]},
]
POLICY = {"name": "Everyone", "priority": 0, "all_users": True,
          "labels": ["Confidential", "InternalOnly", "DoNotForward"]}
GROUPS = [("sales@contoso.test", "Sales", ["dan@contoso.test"]),
          ("team@contoso.test", "Team", ["bob@contoso.test", "carol@fabrikam.test",
                                         "sales@contoso.test"])]


def provision(w):
    """Every step in order; returns a one-line summary."""
    provision_trust_anchors(w)
    provision_users(w)
    provision_certificates(w)
    provision_groups(w)
    provision_labels(w)
    provision_smime_config(w)
    return (f"{len(w.roots)} anchors, {len(USERS)} users, {len(USERS) - 1} PKCS#12, "
            f"{len(GROUPS)} groups, {len(LABELS)} labels")


def provision_trust_anchors(w):
    for ca, root in w.roots.items():
        with open(root, "rb") as f:
            out = w.admin.ok("POST", "/trust-anchors", f.read(),
                             headers={"Content-Type": "application/x-pem-file"})
        if [i["status"] for i in out["items"]] != ["added"]:
            raise AssertionError(f"trust anchor {ca}: {out}")


def provision_users(w):
    for who in USERS:
        u = w.admin.ok("POST", "/users", {"address": w.address(who), "password": PASSWORD,
                                          "displayName": who.capitalize()}, expect=(201,))
        if u["address"] != w.address(who):
            raise AssertionError(f"user {who}: {u}")


def import_pkcs12(w, who, force=False):
    """POST /users/{address}/certificates with the person's PKCS#12: (status, answer)."""
    with open(w.people[who]["p12"], "rb") as f:
        body = {"pkcs12": base64.b64encode(f.read()).decode(), "password": P12_PASSWORD,
                "force": force, "notify": False}
    return w.admin.call("POST", f"/users/{w.address(who)}/certificates", body)


def provision_certificates(w):
    """Every user but henry (whose CA's CRL server goes down in a scenario) gets a key."""
    for who in USERS:
        if who == "henry":
            continue
        status, out = import_pkcs12(w, who)
        if status not in (200, 201):
            raise AssertionError(f"PKCS#12 of {who}: {status} {out}")
        certs = w.admin.ok("GET", f"/users/{w.address(who)}/certificates")["value"]
        if not any(c.get("hasPrivateKey") for c in certs):
            raise AssertionError(f"{who} has no certificate with a key: {certs}")


def provision_groups(w):
    for address, name, members in GROUPS:
        g = w.admin.ok("POST", "/groups", {"address": address, "name": name}, expect=(201,))
        w.admin.ok("POST", f"/groups/{g['id']}/members", {"add": members})


def provision_labels(w):
    for label in LABELS:
        w.admin.ok("POST", "/labels", label, expect=(200, 201))
    w.admin.ok("POST", "/label-policies", POLICY, expect=(200, 201))


def provision_smime_config(w):
    w.admin.ok("PATCH", "/smime-config", {"checkCrlOnSend": True,
                                          "encryptionAlgorithm": "AES-256-CBC"})
    got = w.admin.ok("GET", "/smime-config")
    if got.get("checkCrlOnSend") is not True:
        raise AssertionError(f"smime-config: {got}")

