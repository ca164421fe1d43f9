// decide(): scope refusals per recipient, marking texts and ContentBits, sign/encrypt with their
// reasons, the gateway key and the client's X-Smimegw-* requests.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace policy_test;

namespace {
bool has_warning(const Decision& d, const std::string& code) {
  for (const auto& w : d.warnings)
    if (w.code == code) return true;
  return false;
}
Facts labelled(const std::string& id, const std::string& name) {
  auto f = base_facts();
  f.msip_labels = header_for(id, name);
  return f;
}
}  // namespace

TEST_CASE("decision: an internal-only label refuses each external recipient by name") {
  auto f = labelled(kSecret, "Secret");
  f.recipients = {{"bob@contoso.test", "contoso.test", true, false},
                  {"eve@evil.test", "evil.test", false, false},
                  {"Mallory@Fabrikam.test", "fabrikam.test", false, true}};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK_FALSE(d.refused());  // per recipient, not the whole message
  REQUIRE(d.refusals.size() == 2);
  CHECK(d.refusals[0].recipient == "eve@evil.test");
  CHECK(d.refusals[0].code == "internal_only_external_recipient");
  CHECK(d.refusals[1].recipient == "Mallory@Fabrikam.test");
  CHECK(d.refusals_for("mallory@fabrikam.test").size() == 1);
  CHECK(d.refusals_for("bob@contoso.test").empty());
}

TEST_CASE("decision: a domain-scoped label allows internal and listed domains only") {
  auto f = labelled(kConfidential, "Confidential");
  f.recipients = {{"bob@contoso.test", "contoso.test", true, false},
                  {"x@fabrikam.test", "FABRIKAM.test", false, false},
                  {"y@eu.partner.test", "eu.partner.test", false, false},
                  {"z@partner.test", "partner.test", false, false},
                  {"w@notfabrikam.test", "notfabrikam.test", false, false}};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.refusals.size() == 2);
  CHECK(d.refusals[0].recipient == "z@partner.test");  // "*.partner.test" is subdomains only
  CHECK(d.refusals[0].code == "domain_not_in_scope");
  CHECK(d.refusals[1].recipient == "w@notfabrikam.test");
}

TEST_CASE("decision: marking is rendered and ContentBits says header, footer, encrypted") {
  auto d = decide(test_catalog(), labelled(kConfidential, "Confidential"));
  CHECK(d.marking_header == "CONFIDENTIAL");
  CHECK(d.marking_footer == "Labelled by Alice Example at 2026-11-23T06:00:00Z");
  CHECK(d.content_bits == (kContentHeader | kContentFooter));
  auto s = decide(test_catalog(), labelled(kSecret, "Secret"));
  CHECK(s.marking_header == "Highly Secret");
  CHECK(s.marking_footer.empty());
  CHECK(s.content_bits == (kContentHeader | kContentEncrypted));
  auto parsed = parse_msip_labels(*s.msip_labels);
  REQUIRE(parsed.ok());
  CHECK(parsed->header.labels[0].content_bits == 9);
  auto p = decide(test_catalog(), [] {
    auto f = base_facts();
    f.parent_label_ids = {kPartners};
    return f;
  }());
  CHECK(p.content_bits == 0);  // Partners has no marking and no protection
}

TEST_CASE("decision: ${User.Name} falls back to the address") {
  auto f = labelled(kConfidential, "Confidential");
  f.sender_name = "";
  auto d = decide(test_catalog(), f);
  CHECK(d.marking_footer == "Labelled by alice@contoso.test at 2026-11-23T06:00:00Z");
}

TEST_CASE("decision: a client-signed message is not marked (the signature would break)") {
  auto f = labelled(kConfidential, "Confidential");
  f.client_signed = true;
  auto d = decide(test_catalog(), f);
  CHECK(d.marking_header.empty());
  CHECK(d.content_bits == 0);
  CHECK(has_warning(d, "marking_skipped"));
  CHECK_FALSE(d.sign);
  CHECK(d.sign_reason == "client_signed");
}

TEST_CASE("decision: a protected label encrypts with the gateway key, whatever the client says") {
  auto f = labelled(kSecret, "Secret");
  f.request_encrypt = "no";
  auto d = decide(test_catalog(), f);
  CHECK(d.encrypt);
  CHECK(d.encrypt_reason == "label_protection");
  CHECK(d.include_gateway_key);
  CHECK(has_warning(d, "request_ignored"));
  REQUIRE(d.label);
  CHECK(d.label->rights.has(Right::view));
  CHECK_FALSE(d.label->rights.has(Right::forward));
  REQUIRE(d.label->expires);
  CHECK(*d.label->expires == test_now() + std::chrono::hours(24 * 7));
}

TEST_CASE("decision: nothing asks for S/MIME: neither sign nor encrypt; settings passed through") {
  auto f = base_facts();
  f.settings.encryption_algorithm = "AES-128-GCM";
  f.settings.include_chain = IncludeChain::with_root;
  f.settings.one_copy_per_bcc = false;
  auto d = decide(test_catalog(), f);
  CHECK_FALSE(d.sign);
  CHECK(d.sign_reason == "none");
  CHECK_FALSE(d.encrypt);
  CHECK(d.encrypt_reason == "none");
  CHECK_FALSE(d.include_gateway_key);
  CHECK(d.encryption_algorithm == "AES-128-GCM");
  CHECK(d.signing_algorithm == "SHA-256");
  CHECK(d.include_chain == IncludeChain::with_root);
  CHECK_FALSE(d.one_copy_per_bcc);
}

TEST_CASE("decision: alwaysSign/alwaysEncrypt apply and a client 'no' is ignored") {
  auto f = base_facts();
  f.settings.always_sign = true;
  f.settings.always_encrypt = true;
  f.request_sign = "No";
  auto d = decide(test_catalog(), f);
  CHECK(d.sign);
  CHECK(d.sign_reason == "always_sign");
  CHECK(d.encrypt);
  CHECK(d.encrypt_reason == "always_encrypt");
  CHECK_FALSE(d.include_gateway_key);  // no protected label
  CHECK(has_warning(d, "request_ignored"));
}

TEST_CASE("decision: X-Smimegw-Sign/Encrypt: yes ask for it; garbage is a warning") {
  auto f = base_facts();
  f.request_sign = " YES ";
  f.request_encrypt = "1";
  auto d = decide(test_catalog(), f);
  CHECK(d.sign);
  CHECK(d.sign_reason == "client_request");
  CHECK(d.encrypt);
  CHECK(d.encrypt_reason == "client_request");
  f.request_sign = "perhaps";
  f.request_encrypt.reset();
  auto d2 = decide(test_catalog(), f);
  CHECK_FALSE(d2.sign);
  CHECK(has_warning(d2, "request_header_invalid"));
}

TEST_CASE("decision: a user's sign-all/encrypt-all applies; 'no' turns it off only if allowed") {
  auto f = base_facts();
  f.user_settings = UserSmimeSettings{.smime_enabled = true, .sign_all = true, .encrypt_all = true};
  auto d = decide(test_catalog(), f);
  CHECK(d.sign);
  CHECK(d.sign_reason == "user_sign_all");
  CHECK(d.encrypt);
  CHECK(d.encrypt_reason == "user_encrypt_all");
  f.request_sign = "no";
  f.request_encrypt = "no";
  auto off = decide(test_catalog(), f);
  CHECK_FALSE(off.sign);
  CHECK(off.sign_reason == "client_declined");
  CHECK_FALSE(off.encrypt);
  CHECK(off.encrypt_reason == "client_declined");
  // organisation default on, not changeable: the user's false and the client's no don't count
  f.settings.encrypt_all_default = true;
  f.settings.encrypt_all_user_change_allowed = false;
  f.user_settings->encrypt_all = false;
  auto forced = decide(test_catalog(), f);
  CHECK(forced.encrypt);
  CHECK(forced.encrypt_reason == "user_encrypt_all");
  CHECK(has_warning(forced, "request_ignored"));
}

TEST_CASE("decision: a client-encrypted protected message warns that the gateway key is missing") {
  auto f = labelled(kSecret, "Secret");
  f.client_encrypted = true;
  auto d = decide(test_catalog(), f);
  CHECK_FALSE(d.encrypt);
  CHECK(d.encrypt_reason == "client_encrypted");
  CHECK_FALSE(d.include_gateway_key);
  CHECK(has_warning(d, "gateway_key_missing"));
  CHECK(has_warning(d, "marking_skipped"));
  CHECK(d.content_bits == kContentEncrypted);
}

TEST_CASE("request flag parsing") {
  for (const char* y : {"yes", "TRUE", "On", "1", " yes\r\n"}) CHECK(parse_request_flag(y) == true);
  for (const char* n : {"no", "False", "OFF", "0"}) CHECK(parse_request_flag(n) == false);
  for (const char* x : {"", "y", "2", "yes please"}) CHECK_FALSE(parse_request_flag(x));
}
