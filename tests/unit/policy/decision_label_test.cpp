// decide(): which label a message gets and why (header, not published, default, mandatory,
// inheritance), and the refusals.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace policy_test;

namespace {
bool has_warning(const Decision& d, const std::string& code) {
  for (const auto& w : d.warnings)
    if (w.code == code) return true;
  return false;
}
Facts legal_facts() {
  auto f = base_facts();
  f.sender = "carol@contoso.test";
  f.sender_name = "";
  f.sender_policy = effective_policy(test_catalog(), {f.sender}, {"legal@contoso.test"});
  return f;
}
}  // namespace

TEST_CASE("decision: a published header label is used, keeping SetDate, Method and ActionId") {
  auto f = base_facts();
  f.msip_labels = header_for(kConfidential, "Confidential");
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kConfidential);
  CHECK(d.label->source == LabelSource::header);
  CHECK(d.label->method == "Privileged");
  CHECK(d.refusals.empty());
  CHECK_FALSE(d.refused());
  REQUIRE(d.msip_labels);
  const std::string p = "MSIP_Label_" + kConfidential + "_";
  CHECK(*d.msip_labels ==
        p + "Enabled=true; " + p + "SetDate=2026-01-02T03:04:05Z; " + p + "Method=Privileged; " +
            p + "Name=Confidential; " + p + "SiteId=" + kTenant + "; " + p +
            "ActionId=dddddddd-dddd-dddd-dddd-dddddddddddd; " + p + "ContentBits=3");
}

TEST_CASE("decision: no header, no default, not mandatory: no label and no header") {
  auto d = decide(test_catalog(), base_facts());
  CHECK_FALSE(d.label);
  CHECK_FALSE(d.msip_labels);
  CHECK(d.refusals.empty());
  CHECK(d.content_bits == 0);
  CHECK(d.marking_header.empty());
  CHECK(d.marking_footer.empty());
}

TEST_CASE("decision: mandatory labelling without any label and without default is refused") {
  auto c = test_catalog();
  c.policies[1].default_label.reset();
  auto f = legal_facts();
  f.sender_policy = effective_policy(c, {f.sender}, {"legal@contoso.test"});
  auto d = decide(c, f);
  CHECK_FALSE(d.label);
  CHECK(d.refused());
  REQUIRE(d.refusals.size() == 1);
  CHECK(d.refusals[0].code == "label_required");
  CHECK(d.refusals[0].recipient.empty());
  CHECK(d.refusals_for("bob@contoso.test").size() == 1);
}

TEST_CASE("decision: the policy default applies when the message has no label") {
  auto d = decide(test_catalog(), legal_facts());
  REQUIRE(d.label);
  CHECK(d.label->id == kGeneral);
  CHECK(d.label->source == LabelSource::policy_default);
  CHECK(d.label->method == "Standard");
  CHECK(d.refusals.empty());
  CHECK(d.marking_footer == "Classified General");
  CHECK(d.content_bits == kContentFooter);
  const std::string p = "MSIP_Label_" + kGeneral + "_";
  CHECK(*d.msip_labels == p + "Enabled=true; " + p + "SetDate=2026-11-23T06:00:00Z; " + p +
                              "Method=Standard; " + p + "Name=General; " + p + "SiteId=" + kTenant +
                              "; " + p + "ActionId=" + kAction + "; " + p + "ContentBits=2");
}

TEST_CASE("decision: a label not published to the sender and no adequate default is refused") {
  // Partners is published only to Legal; Alice has no default
  auto f = base_facts();
  f.msip_labels = header_for(kPartners, "Partners");
  auto d = decide(test_catalog(), f);
  CHECK_FALSE(d.label);
  REQUIRE(d.refusals.size() == 1);
  CHECK(d.refusals[0].code == "label_not_published");
  CHECK(d.refusals[0].reason.find("Partners") != std::string::npos);
  CHECK(d.refused());
}

TEST_CASE("decision: an unpublished label is replaced by a default at least as sensitive") {
  auto c = test_catalog();
  c.policies[1].labels.push_back(kSecret);
  c.policies[1].default_label = kSecret;  // Legal's default is now Secret (20)
  auto f = legal_facts();
  f.sender_policy = effective_policy(c, {f.sender}, {"legal@contoso.test"});
  c.policies[0].labels = {kGeneral};  // Confidential no longer published to anyone
  f.sender_policy = effective_policy(c, {f.sender}, {"legal@contoso.test"});
  f.msip_labels = header_for(kConfidential, "Confidential");
  auto d = decide(c, f);
  REQUIRE(d.label);
  CHECK(d.label->id == kSecret);
  CHECK(d.label->source == LabelSource::policy_default);
  CHECK(has_warning(d, "label_replaced_by_default"));
  // a default less sensitive than the label asked for is not a replacement: refused
  c.policies[1].default_label = kGeneral;
  f.sender_policy = effective_policy(c, {f.sender}, {"legal@contoso.test"});
  auto d2 = decide(c, f);
  CHECK_FALSE(d2.label);
  REQUIRE(d2.refusals.size() == 1);
  CHECK(d2.refusals[0].code == "label_not_published");
}

TEST_CASE("decision: of two labels of ours in the header the higher priority counts") {
  auto f = base_facts();
  f.msip_labels = header_for(kGeneral, "General") + ";" + header_for(kConfidential, "Conf");
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kConfidential);
  CHECK(d.label->name == "Confidential");  // the catalog's name, not the header's
  auto parsed = parse_msip_labels(*d.msip_labels);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->header.labels.size() == 1);  // our other label is dropped
}

TEST_CASE("decision: other tenants' labels are ignored for the choice and re-emitted unchanged") {
  auto f = base_facts();
  f.msip_labels = header_for(kSecret, "TheirSecret", kForeign) + "; Sensitivity=Secret";
  auto d = decide(test_catalog(), f);
  CHECK_FALSE(d.label);
  REQUIRE(d.msip_labels);
  CHECK(*d.msip_labels == header_for(kSecret, "TheirSecret", kForeign) + "; Sensitivity=Secret");
  f.msip_labels =
      header_for(kSecret, "TheirSecret", kForeign) + "; " + header_for(kGeneral, "General");
  auto d2 = decide(test_catalog(), f);
  REQUIRE(d2.label);
  CHECK(d2.label->id == kGeneral);
  auto parsed = parse_msip_labels(*d2.msip_labels);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->header.labels.size() == 2);
  CHECK(parsed->header.labels[0].id == kGeneral);
  CHECK(parsed->header.labels[1].site_id == kForeign);
  CHECK(parsed->header.labels[1].name == "TheirSecret");
}

TEST_CASE("decision: unknown label ids and an unparsable header are warnings") {
  auto f = base_facts();
  f.msip_labels = header_for("99999999-9999-9999-9999-999999999999", "Ghost");
  auto d = decide(test_catalog(), f);
  CHECK_FALSE(d.label);
  CHECK(has_warning(d, "label_unknown"));
  CHECK_FALSE(d.msip_labels);  // our tenant's unknown label is not passed on
  f.msip_labels = std::string(20000, ';');
  auto d2 = decide(test_catalog(), f);
  CHECK(has_warning(d2, "msip_labels_unparsable"));
}

TEST_CASE("decision: a reply inherits the answered message's label when it is higher") {
  auto f = base_facts();
  f.msip_labels = header_for(kGeneral, "General");
  f.parent_label_ids = {kConfidential, "99999999-9999-9999-9999-999999999999"};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kConfidential);
  CHECK(d.label->source == LabelSource::inherited);
  CHECK(d.label->method == "Standard");
  CHECK(has_warning(d, "label_upgraded_by_inheritance"));
  CHECK(has_warning(d, "label_unknown"));
  // new SetDate and ActionId: the label changed
  auto parsed = parse_msip_labels(*d.msip_labels);
  REQUIRE(parsed.ok());
  CHECK(parsed->header.labels[0].action_id == kAction);
  CHECK(parsed->header.labels[0].set_date == "2026-11-23T06:00:00Z");
}

TEST_CASE("decision: the message's own label wins when it is higher than the inherited one") {
  auto f = base_facts();
  f.msip_labels = header_for(kSecret, "Secret");
  f.parent_label_ids = {kGeneral, kConfidential};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kSecret);
  CHECK(d.label->source == LabelSource::header);
}

TEST_CASE("decision: a reply without a label of its own inherits, even an unpublished label") {
  auto f = base_facts();  // Alice: Partners is not published to her
  f.parent_label_ids = {kPartners, kGeneral};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kPartners);
  CHECK(d.label->source == LabelSource::inherited);
  CHECK(d.refusals.empty());
}

TEST_CASE("decision: an unpublished own label gives way to an inherited one at least as high") {
  auto f = base_facts();
  f.msip_labels = header_for(kPartners, "Partners");
  f.parent_label_ids = {kConfidential};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kConfidential);
  CHECK(d.refusals.empty());
  CHECK(has_warning(d, "label_not_published"));
}

TEST_CASE("decision: inheritance satisfies mandatory labelling without the default") {
  auto f = legal_facts();
  f.parent_label_ids = {kSecret};
  auto d = decide(test_catalog(), f);
  REQUIRE(d.label);
  CHECK(d.label->id == kSecret);
  CHECK(d.label->source == LabelSource::inherited);
}
