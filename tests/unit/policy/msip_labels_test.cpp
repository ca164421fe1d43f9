// msip_labels: tolerant parsing (case, folding, whitespace, several tenants, unknown attributes),
// exact emission, round trips, folding of the emitted field, limits.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace policy_test;

TEST_CASE("msip_labels: a Microsoft-style header parses into every known attribute") {
  auto r = parse_msip_labels(header_for(kConfidential, "Confidential"));
  REQUIRE(r.ok());
  CHECK(r->warnings.empty());
  REQUIRE(r->header.labels.size() == 1);
  const auto& l = r->header.labels[0];
  CHECK(l.id == kConfidential);
  CHECK(l.enabled == true);
  CHECK(l.set_date == "2026-01-02T03:04:05Z");
  CHECK(l.method == "Privileged");
  CHECK(l.name == "Confidential");
  CHECK(l.site_id == kTenant);
  CHECK(l.action_id == "dddddddd-dddd-dddd-dddd-dddddddddddd");
  CHECK(l.content_bits == 0);
  CHECK(l.extra.empty());
  CHECK(r->header.other.empty());
}

TEST_CASE("msip_labels: keys match case-insensitively and GUIDs are lower-cased") {
  const std::string up = "22222222-2222-2222-2222-22222222222A";
  auto r = parse_msip_labels(
      "msip_label_" + up + "_ENABLED=True;MSIP_LABEL_" + up + "_name=Confidential;Msip_Label_" +
      up + "_siteid=AAAAAAAA-AAAA-AAAA-AAAA-AAAAAAAAAAAA;msip_label_" + up + "_contentbits=9");
  REQUIRE(r.ok());
  REQUIRE(r->header.labels.size() == 1);
  const auto& l = r->header.labels[0];
  CHECK(l.id == "22222222-2222-2222-2222-22222222222a");
  CHECK(l.enabled == true);
  CHECK(l.name == "Confidential");
  CHECK(l.site_id == kTenant);
  CHECK(l.content_bits == 9);
}

TEST_CASE(
    "msip_labels: folded header with tabs and stray whitespace parses like the unfolded one") {
  const std::string p = "MSIP_Label_" + kSecret + "_";
  const std::string folded = "  " + p + "Enabled=true;\r\n\t" + p + "Name = Secret ;\r\n " + p +
                             "SiteId=" + kTenant + ";\r\n   ;; " + p + "Method=\tStandard\t";
  auto r = parse_msip_labels(folded);
  REQUIRE(r.ok());
  CHECK(r->warnings.empty());
  REQUIRE(r->header.labels.size() == 1);
  CHECK(r->header.labels[0].name == "Secret");
  CHECK(r->header.labels[0].method == "Standard");
  CHECK(r->header.labels[0].site_id == kTenant);
  auto flat = parse_msip_labels(p + "Enabled=true; " + p + "Name=Secret; " + p +
                                "SiteId=" + kTenant + "; " + p + "Method=Standard");
  REQUIRE(flat.ok());
  CHECK(flat->header == r->header);
}

TEST_CASE("msip_labels: two tenants' labels are kept apart and tenant_labels picks ours") {
  auto r = parse_msip_labels(header_for(kGeneral, "General", kForeign) + "; " +
                             header_for(kConfidential, "Confidential"));
  REQUIRE(r.ok());
  REQUIRE(r->header.labels.size() == 2);
  CHECK(r->header.labels[0].site_id == kForeign);
  auto ours = tenant_labels(r->header, kTenant);
  REQUIRE(ours.size() == 1);
  CHECK(ours[0]->id == kConfidential);
  auto theirs = tenant_labels(r->header, kForeign);
  REQUIRE(theirs.size() == 1);
  CHECK(theirs[0]->id == kGeneral);
}

TEST_CASE("msip_labels: a disabled label is not one of the tenant's labels") {
  auto r = parse_msip_labels("MSIP_Label_" + kSecret + "_Enabled=false; MSIP_Label_" + kSecret +
                             "_SiteId=" + kTenant);
  REQUIRE(r.ok());
  CHECK(tenant_labels(r->header, kTenant).empty());
}

TEST_CASE("msip_labels: unknown attributes and foreign entries are kept and re-emitted") {
  const std::string p = "MSIP_Label_" + kGeneral + "_";
  auto r =
      parse_msip_labels(p + "Enabled=true; " + p + "Owner=alice@contoso.test; " + p +
                        "Extended_MSFT_Method=Manual; Sensitivity=General; " + p + "Name=General");
  REQUIRE(r.ok());
  REQUIRE(r->header.labels.size() == 1);
  const auto& l = r->header.labels[0];
  REQUIRE(l.extra.size() == 2);
  CHECK(l.extra[0] == Attribute{"Owner", "alice@contoso.test"});
  CHECK(l.extra[1] == Attribute{"Extended_MSFT_Method", "Manual"});
  REQUIRE(r->header.other.size() == 1);
  CHECK(r->header.other[0] == Attribute{"Sensitivity", "General"});
  auto out = format_msip_labels(r->header);
  REQUIRE(out.ok());
  CHECK(*out == p + "Enabled=true; " + p + "Name=General; " + p + "Owner=alice@contoso.test; " + p +
                    "Extended_MSFT_Method=Manual; Sensitivity=General");
}

TEST_CASE("msip_labels: malformed entries are dropped with a warning, the rest kept") {
  const std::string p = "MSIP_Label_" + kGeneral + "_";
  auto r = parse_msip_labels(p + "Enabled=maybe; " + p + "ContentBits=x1; " + p +
                             "ContentBits=-3; no-equals-sign; =value; " + p + "Name=General");
  REQUIRE(r.ok());
  CHECK(r->warnings.size() == 5);
  REQUIRE(r->header.labels.size() == 1);
  CHECK_FALSE(r->header.labels[0].enabled.has_value());
  CHECK_FALSE(r->header.labels[0].content_bits.has_value());
  CHECK(r->header.labels[0].name == "General");
}

TEST_CASE("msip_labels: a value may contain '=' and a repeated attribute keeps its last value") {
  const std::string p = "MSIP_Label_" + kGeneral + "_";
  auto r = parse_msip_labels(p + "Name=a=b; " + p + "Owner=x; " + p + "OWNER=y");
  REQUIRE(r.ok());
  CHECK(r->header.labels[0].name == "a=b");
  REQUIRE(r->header.labels[0].extra.size() == 1);
  CHECK(r->header.labels[0].extra[0].second == "y");
}

TEST_CASE("msip_labels: emission is exact, in the ARCHITECTURE §6 order") {
  MsipHeader h;
  MsipLabel l{.id = "22222222-2222-2222-2222-22222222222A"};
  l.content_bits = 11;  // set out of order on purpose
  l.action_id = kAction;
  l.site_id = kTenant;
  l.name = "Confidential";
  l.method = "Standard";
  l.set_date = "2026-11-23T06:00:00Z";
  l.enabled = true;
  h.labels.push_back(l);
  auto out = format_msip_labels(h);
  REQUIRE(out.ok());
  const std::string p = "MSIP_Label_22222222-2222-2222-2222-22222222222a_";
  CHECK(*out == p + "Enabled=true; " + p + "SetDate=2026-11-23T06:00:00Z; " + p +
                    "Method=Standard; " + p + "Name=Confidential; " + p + "SiteId=" + kTenant +
                    "; " + p + "ActionId=" + kAction + "; " + p + "ContentBits=11");
}

TEST_CASE("msip_labels: parse(format(x)) == x and format(parse(s)) == s for canonical s") {
  const std::string canonical =
      header_for(kConfidential, "Confidential") + "; " + header_for(kGeneral, "General", kForeign);
  auto r = parse_msip_labels(canonical);
  REQUIRE(r.ok());
  auto out = format_msip_labels(r->header);
  REQUIRE(out.ok());
  CHECK(*out == canonical);
  auto again = parse_msip_labels(*out);
  REQUIRE(again.ok());
  CHECK(again->header == r->header);
}

TEST_CASE("msip_labels: the emitted field folds between entries and unfolds to the exact value") {
  auto r = parse_msip_labels(header_for(kConfidential, "Confidential") + "; " +
                             header_for(kGeneral, "General", kForeign));
  REQUIRE(r.ok());
  auto field = format_msip_labels_field(r->header);
  REQUIRE(field.ok());
  CHECK(field->rfind("msip_labels: MSIP_Label_", 0) == 0);
  std::size_t start = 0;
  int lines = 0;
  while (start < field->size()) {
    auto end = field->find("\r\n", start);
    auto line = field->substr(start, end == std::string::npos ? end : end - start);
    // within 78 columns unless one entry alone is longer (SiteId/ActionId with their GUIDs)
    if (line.size() > 78) CHECK(line.find("; ") == std::string::npos);
    CHECK(line.size() <= 998);
    if (lines > 0) CHECK(line.front() == ' ');
    ++lines;
    if (end == std::string::npos) break;
    start = end + 2;
  }
  CHECK(lines == 14);
  std::string unfolded;
  for (std::size_t i = 0; i < field->size(); ++i) {
    if (field->compare(i, 2, "\r\n") == 0) {
      ++i;
      continue;
    }
    unfolded += (*field)[i];
  }
  CHECK(unfolded == "msip_labels: " + *format_msip_labels(r->header));
  auto back = parse_msip_labels(field->substr(std::string("msip_labels:").size()));
  REQUIRE(back.ok());
  CHECK(back->header == r->header);
}

TEST_CASE("msip_labels: emission refuses values that would not parse back") {
  MsipHeader h;
  h.labels.push_back(MsipLabel{.id = kGeneral, .name = std::string("a;b")});
  auto bad = format_msip_labels(h);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "msip_value_invalid");
  h.labels[0].name = "line\r\nbreak";
  CHECK_FALSE(format_msip_labels(h).ok());
  h.labels[0].name = " padded";
  CHECK_FALSE(format_msip_labels(h).ok());
  h.labels[0] = MsipLabel{.id = "not-a-guid"};
  CHECK_FALSE(format_msip_labels(h).ok());
  MsipHeader o;
  o.other.push_back({"Key=x", "v"});
  CHECK_FALSE(format_msip_labels(o).ok());
}

TEST_CASE("msip_labels: limits on length, labels and entries are clear errors") {
  MsipLimits lim{.max_bytes = 100, .max_labels = 2, .max_entries = 5};
  auto longer = parse_msip_labels(std::string(101, 'x'), lim);
  REQUIRE_FALSE(longer.ok());
  CHECK(longer.error().code == "msip_labels_too_long");
  lim.max_bytes = 100000;
  std::string three;
  for (const auto& id : {kGeneral, kConfidential, kSecret})
    three += "MSIP_Label_" + id + "_Enabled=true;";
  auto many = parse_msip_labels(three, lim);
  REQUIRE_FALSE(many.ok());
  CHECK(many.error().code == "msip_labels_too_many_labels");
  auto entries = parse_msip_labels("a=1;b=2;c=3;d=4;e=5;f=6", lim);
  REQUIRE_FALSE(entries.ok());
  CHECK(entries.error().code == "msip_labels_too_many_entries");
  CHECK(parse_msip_labels("a=1;b=2;c=3;d=4;e=5;;;", lim).ok());
}

TEST_CASE("msip_labels: empty and whitespace-only values give an empty header") {
  for (const char* v : {"", "   ", ";;", "\r\n "}) {
    auto r = parse_msip_labels(v);
    REQUIRE(r.ok());
    CHECK(r->header.labels.empty());
    CHECK(r->header.other.empty());
  }
}

TEST_CASE("msip_labels: a label whose only entries were dropped disappears (fuzz regression)") {
  const std::string p = "MSIP_Label_" + kGeneral + "_";
  auto r = parse_msip_labels(p + "ContentBits=; " + p + "Enabled=perhaps; Sensitivity=x");
  REQUIRE(r.ok());
  CHECK(r->header.labels.empty());
  CHECK(r->warnings.size() == 2);
  auto out = format_msip_labels(r->header);
  REQUIRE(out.ok());
  auto back = parse_msip_labels(*out);
  REQUIRE(back.ok());
  CHECK(back->header == r->header);
}
