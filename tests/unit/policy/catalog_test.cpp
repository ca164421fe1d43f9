// Label catalog: validation names the field; lookups; which policy applies to a sender.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace policy_test;

namespace {
bool has_error(const FieldErrors& errs, const std::string& field, const std::string& part) {
  for (const auto& e : errs)
    if (e.field == field && e.message.find(part) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("catalog: the test catalog is valid") {
  CHECK(validate(test_catalog()).empty());
}

TEST_CASE("catalog: every error names its field, all reported at once") {
  auto c = test_catalog();
  c.labels[0].id = "not-a-guid";
  c.labels[1].name = "Conf;idential";
  c.labels[2].priority = 20;  // Secret has 20
  c.labels[2].header_template = "${Item.Name} ${User.Name}";
  c.labels[3].scope.domains = {"example.com"};  // Secret is internal_only
  c.labels[1].scope.domains = {"ok.test", "bad domain", "*.fine.test"};
  c.labels[1].rights.bits = 0;
  c.labels[1].content_expiry_days = -1;
  c.policies[1].default_label = kSecret;  // not published by Legal
  c.policies[1].users = {"not an address"};
  c.policies[0].labels.push_back("99999999-9999-9999-9999-999999999999");
  auto errs = validate(c);
  CHECK(has_error(errs, "labels[0].id", "not a GUID"));
  CHECK(has_error(errs, "labels[1].name", "';' or '='"));
  CHECK(has_error(errs, "labels[3].priority", "already used"));
  CHECK(has_error(errs, "labels[2].marking.header", "${Item.Name}"));
  CHECK(has_error(errs, "labels[3].scope", "exclude each other"));
  CHECK(has_error(errs, "labels[1].scope.domains[1]", "bad domain"));
  CHECK(has_error(errs, "labels[1].rights", "at least one"));
  CHECK(has_error(errs, "labels[1].content_expiry_days", "between 0"));
  CHECK(has_error(errs, "policies[1].default_label", "publishes"));
  CHECK(has_error(errs, "policies[1].users[0]", "not an e-mail address"));
  CHECK(has_error(errs, "policies[0].labels[3]", "no such label"));
  // the policy referencing the broken label id
  CHECK(has_error(errs, "policies[0].labels[0]", "no such label"));
  CHECK(has_error(errs, "policies[1].labels[0]", "no such label"));
  CHECK(errs.size() == 13);
  auto e = to_error(errs);
  CHECK(e.code == "invalid_field");
  CHECK(e.message.find("labels[0].id: not a GUID") != std::string::npos);
}

TEST_CASE("catalog: duplicates of id, name and policy priority are refused") {
  auto c = test_catalog();
  c.labels[1].id =
      "11111111-1111-1111-1111-11111111111"
      "1";
  c.labels[2].name = "GENERAL";
  c.policies[1].priority = 0;
  c.policies[1].name = "everyone";
  auto errs = validate(c);
  CHECK(has_error(errs, "labels[1].id", "duplicate"));
  CHECK(has_error(errs, "labels[2].name", "duplicate"));
  CHECK(has_error(errs, "policies[1].priority", "already used"));
  CHECK(has_error(errs, "policies[1].name", "duplicate"));
}

TEST_CASE("catalog: a policy assigned to nobody, and limits") {
  auto c = test_catalog();
  c.policies[1].users.clear();
  c.policies[1].groups.clear();
  auto errs = validate(c);
  CHECK(has_error(errs, "policies[1]", "assigned to nobody"));
  auto errs2 = validate(test_catalog(), CatalogLimits{.max_labels = 3});
  CHECK(has_error(errs2, "labels", "more than 3"));
}

TEST_CASE("catalog: labels are found by any GUID spelling or case-insensitive name") {
  auto c = test_catalog();
  REQUIRE(find_label(c, "{22222222-2222-2222-2222-222222222222}"));
  CHECK(find_label(c, "{22222222-2222-2222-2222-222222222222}")->name == "Confidential");
  CHECK(find_label(c, "secret")->id == kSecret);
  CHECK(find_label(c, "nope") == nullptr);
  CHECK(find_policy(c, "LEGAL")->priority == 10);
}

TEST_CASE("effective policy: union of published labels, default and mandatory from the winner") {
  auto c = test_catalog();
  auto alice = effective_policy(c, {"alice@contoso.test"}, {});
  CHECK(alice.policies == std::vector<std::string>{"Everyone"});
  CHECK(alice.published == std::vector<std::string>{kGeneral, kConfidential, kSecret});
  CHECK_FALSE(alice.default_label);
  CHECK_FALSE(alice.mandatory);
  // group membership (case-insensitive) brings in Legal, which has the higher priority
  auto carol = effective_policy(c, {"carol@contoso.test"}, {"LEGAL@contoso.test"});
  CHECK(carol.policies == std::vector<std::string>{"Everyone", "Legal"});
  CHECK(carol.published == std::vector<std::string>{kGeneral, kPartners, kConfidential, kSecret});
  CHECK(carol.winning_policy == "Legal");
  CHECK(carol.default_label == kGeneral);
  CHECK(carol.mandatory);
  // a proxy address assigned directly
  auto boss = effective_policy(c, {"b.oss@contoso.test", "Boss@Contoso.test"}, {});
  CHECK(boss.winning_policy == "Legal");
  // priority, not order in the file, decides
  std::swap(c.policies[0].priority, c.policies[1].priority);
  auto swapped = effective_policy(c, {"carol@contoso.test"}, {"legal@contoso.test"});
  CHECK(swapped.winning_policy == "Everyone");
  CHECK_FALSE(swapped.mandatory);
  // nobody's policy
  c.policies[0].all_users = false;
  c.policies[0].users = {"x@contoso.test"};
  auto nobody = effective_policy(c, {"alice@contoso.test"}, {});
  CHECK(nobody.published.empty());
  CHECK(nobody.winning_policy.empty());
}

TEST_CASE("marking template: the three variables, case-insensitive; others kept literally") {
  TemplateValues v{"Highly Secret", "Alice Example", test_now()};
  CHECK(render_template("${Item.Label} | ${user.name} | ${EVENT.DATETIME}", v) ==
        "Highly Secret | Alice Example | 2026-11-23T06:00:00Z");
  CHECK(render_template("${Item.Name} and ${Item.Label", v) == "${Item.Name} and ${Item.Label");
  CHECK(render_template("", v).empty());
  CHECK(render_template("$${Item.Label}}", v) == "$Highly Secret}");
  CHECK(unknown_variables("a ${Item.Label} ${X} ${Item.Location}") ==
        std::vector<std::string>{"${X}", "${Item.Location}"});
}

TEST_CASE("rights and protection names round-trip") {
  for (auto r : all_rights()) CHECK(parse_right(to_string(r)) == r);
  CHECK(parse_right("Reply-All") == Right::reply_all);
  CHECK_FALSE(parse_right("delete"));
  Rights some;
  some.bits = 0;
  some.add(Right::view);
  some.add(Right::reply_all);
  CHECK(right_names(some) == std::vector<std::string>{"view", "reply-all"});
  CHECK(parse_protection("Encrypt") == Protection::encrypt);
  CHECK_FALSE(parse_protection("rms"));
  CHECK(normalize_guid("{AAAAAAAA-aaaa-AAAA-aaaa-AAAAAAAAAAAA}") == kTenant);
  CHECK_FALSE(normalize_guid("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaag"));
  CHECK_FALSE(normalize_guid("aaaaaaaaaaaaa-aaaa-aaaa-aaaaaaaaaaaa"));
}
