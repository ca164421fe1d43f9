// S/MIME settings: PATCH-style merge validation (field-named errors, nothing applied on error),
// key=value parsing for the CLI, user settings merge, effective rules with userChangeAllowed.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace policy_test;

namespace {
Patch patch_of(std::initializer_list<const char*> texts) {
  Patch p;
  for (const char* t : texts) {
    auto kv = parse_patch_text(t);
    REQUIRE(kv.ok());
    p.push_back(*kv);
  }
  return p;
}
}  // namespace

TEST_CASE("settings: defaults are the documented ones") {
  SmimeSettings s;
  CHECK_FALSE(s.always_sign);
  CHECK_FALSE(s.always_encrypt);
  CHECK(s.encryption_algorithm == "AES-256-CBC");
  CHECK(s.signing_algorithm == "SHA-256");
  CHECK(s.include_chain == IncludeChain::without_root);
  CHECK(s.one_copy_per_bcc);
  auto f = fields(s);
  REQUIRE(f.size() == 14);
  CHECK(f[0].first == "alwaysSign");
  CHECK(f[4] == std::pair<std::string, PatchValue>{"includeChain", std::string("withoutRoot")});
}

TEST_CASE("settings: a valid patch is applied, values canonicalised") {
  SmimeSettings out;
  auto errs = merge_patch(
      SmimeSettings{},
      patch_of({"alwaysSign=true", "encryptionAlgorithm=aes-256-gcm", "includeChain=WITHROOT",
                "crlRetrievalTimeoutMs=2500", "encryptAllUserChangeAllowed=false"}),
      out);
  CHECK(errs.empty());
  CHECK(out.always_sign);
  CHECK(out.encryption_algorithm == "AES-256-GCM");
  CHECK(out.include_chain == IncludeChain::with_root);
  CHECK(out.crl_retrieval_timeout_ms == 2500);
  CHECK_FALSE(out.encrypt_all_user_change_allowed);
  CHECK_FALSE(out.always_encrypt);  // untouched
}

TEST_CASE("settings: every bad entry is reported by field and nothing is applied") {
  SmimeSettings base;
  base.always_sign = true;
  SmimeSettings out = base;
  out.dl_expansion_timeout_ms = 42;  // must survive a failed merge
  Patch p = patch_of({"alwaysEncrypt=yes", "signingAlgorithm=SHA-1", "crlConnectionTimeoutMs=0",
                      "dlExpansionTimeoutMs=600001", "nosuch=1", "includeChain=all",
                      "oneCopyPerBcc=null", "alwaysSign=false"});
  p.push_back({"alwaysSign", PatchValue(true)});
  p.push_back({"crlRetrievalTimeoutMs", PatchValue(std::string("10"))});
  auto errs = merge_patch(base, p, out);
  REQUIRE(errs.size() == 9);
  CHECK(errs[0] == FieldError{"alwaysEncrypt", "expected true or false"});
  CHECK(errs[1].field == "signingAlgorithm");
  CHECK(errs[1].message == "\"SHA-1\" is not one of SHA-256, SHA-384, SHA-512");
  CHECK(errs[2].field == "crlConnectionTimeoutMs");
  CHECK(errs[3].field == "dlExpansionTimeoutMs");
  CHECK(errs[4] == FieldError{"nosuch", "unknown setting"});
  CHECK(errs[5].field == "includeChain");
  CHECK(errs[6] == FieldError{"oneCopyPerBcc", "must not be null"});
  CHECK(errs[7] == FieldError{"alwaysSign", "given more than once"});
  CHECK(errs[8] == FieldError{"crlRetrievalTimeoutMs", "expected an integer (ms)"});
  CHECK(out.dl_expansion_timeout_ms == 42);
  CHECK(to_error(errs).message.find("signingAlgorithm: \"SHA-1\"") != std::string::npos);
}

TEST_CASE("settings: key=value text is typed like JSON") {
  CHECK(parse_patch_text("a=true")->second == PatchValue(true));
  CHECK(parse_patch_text("a=false")->second == PatchValue(false));
  CHECK(parse_patch_text("a=null")->second == PatchValue());
  CHECK(parse_patch_text("a=-12")->second == PatchValue(std::int64_t{-12}));
  CHECK(parse_patch_text("a=12x")->second == PatchValue(std::string("12x")));
  CHECK(parse_patch_text("a=")->second == PatchValue(std::string()));
  CHECK(parse_patch_text("a=b=c")->second == PatchValue(std::string("b=c")));
  CHECK_FALSE(parse_patch_text("novalue").ok());
  CHECK_FALSE(parse_patch_text("=x").ok());
}

TEST_CASE("user settings: merge, reset to default with null, and userChangeAllowed") {
  SmimeSettings org;
  UserSmimeSettings out;
  Patch p{{"signAll", PatchValue(true)}, {"smimeEnabled", PatchValue(false)}};
  CHECK(merge_user_patch(org, UserSmimeSettings{}, p, out).empty());
  CHECK(out.sign_all == true);
  CHECK_FALSE(out.smime_enabled);
  Patch reset{{"signAll", PatchValue()}};
  CHECK(merge_user_patch(org, out, reset, out).empty());
  CHECK_FALSE(out.sign_all.has_value());
  org.encrypt_all_user_change_allowed = false;
  UserSmimeSettings kept = out;
  auto errs = merge_user_patch(org, kept,
                               {{"encryptAll", PatchValue(true)},
                                {"signAll", PatchValue(std::int64_t{1})},
                                {"other", PatchValue(true)}},
                               out);
  REQUIRE(errs.size() == 3);
  CHECK(errs[0].field == "encryptAll");
  CHECK(errs[0].message.find("does not allow") != std::string::npos);
  CHECK(errs[1].field == "signAll");
  CHECK(errs[2] == FieldError{"other", "unknown setting"});
  CHECK(out == kept);
}

TEST_CASE("effective rules: organisation forces, user chooses, defaults otherwise") {
  SmimeSettings org;
  auto none = effective_rules(org, std::nullopt);
  CHECK_FALSE(none.sign);
  CHECK(none.sign_source == RuleSource::none);
  CHECK(none.sign_user_changeable);

  org.sign_all_default = true;
  auto dflt = effective_rules(org, std::nullopt);
  CHECK(dflt.sign);
  CHECK(dflt.sign_source == RuleSource::user_default);

  UserSmimeSettings user{.smime_enabled = true, .sign_all = false, .encrypt_all = true};
  auto chosen = effective_rules(org, user);
  CHECK_FALSE(chosen.sign);  // the user turned the default off
  CHECK(chosen.encrypt);
  CHECK(chosen.encrypt_source == RuleSource::user);

  org.sign_all_user_change_allowed = false;
  org.encrypt_all_user_change_allowed = false;
  auto locked = effective_rules(org, user);
  CHECK(locked.sign);  // the user's false doesn't count
  CHECK(locked.sign_source == RuleSource::user_default);
  CHECK_FALSE(locked.sign_user_changeable);
  CHECK_FALSE(locked.encrypt);  // nor the user's true

  user.smime_enabled = false;
  org.encrypt_all_user_change_allowed = true;
  auto disabled = effective_rules(org, user);
  CHECK_FALSE(disabled.encrypt);  // S/MIME off: the user's encryptAll is ignored

  org.always_sign = true;
  org.always_encrypt = true;
  auto forced = effective_rules(org, user);
  CHECK(forced.sign);
  CHECK(forced.sign_source == RuleSource::organization);
  CHECK(forced.encrypt);
  CHECK_FALSE(forced.encrypt_user_changeable);
  CHECK(to_string(forced.sign_source) == "organization");
}

TEST_CASE("include chain names") {
  CHECK(to_string(IncludeChain::none) == "none");
  CHECK(to_string(IncludeChain::without_root) == "withoutRoot");
  CHECK(parse_include_chain("withroot") == IncludeChain::with_root);
  CHECK_FALSE(parse_include_chain("root"));
}

TEST_CASE("S/MIME is off until the user enables it; labels' and organisation rules still apply") {
  CHECK_FALSE(UserSmimeSettings{}.smime_enabled);
  SmimeSettings org;
  UserSmimeSettings chosen{.sign_all = true, .encrypt_all = true};  // smimeEnabled left off
  auto off = effective_rules(org, chosen);
  CHECK_FALSE(off.sign);
  CHECK_FALSE(off.encrypt);
  org.always_encrypt = true;  // the organisation's rule does not depend on the user's switch
  org.sign_all_default = true;
  auto forced = effective_rules(org, chosen);
  CHECK(forced.encrypt);
  CHECK(forced.encrypt_source == RuleSource::organization);
  CHECK(forced.sign);
  CHECK(forced.sign_source == RuleSource::user_default);
  chosen.smime_enabled = true;
  org = SmimeSettings{};
  auto on = effective_rules(org, chosen);
  CHECK(on.sign);
  CHECK(on.sign_source == RuleSource::user);
}
