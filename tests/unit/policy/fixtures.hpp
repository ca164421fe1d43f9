// Shared test catalog for the policy tests: four labels of increasing sensitivity and two policies.
#pragma once

#include <chrono>

#include "smimegw/policy/policy.hpp"

namespace policy_test {

using namespace smimegw::policy;

inline const std::string kTenant = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa";
inline const std::string kForeign = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb";
inline const std::string kGeneral = "11111111-1111-1111-1111-111111111111";
inline const std::string kPartners = "44444444-4444-4444-4444-444444444444";
inline const std::string kConfidential = "22222222-2222-2222-2222-222222222222";
inline const std::string kSecret = "33333333-3333-3333-3333-333333333333";
inline const std::string kAction = "cccccccc-cccc-cccc-cccc-cccccccccccc";

// 2026-11-23T06:00:00Z
inline std::chrono::system_clock::time_point test_now() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1795413600));
}

inline Catalog test_catalog() {
  Catalog c;
  Label general{.id = kGeneral, .name = "General", .display_name = "General", .priority = 0};
  general.footer_template = "Classified ${Item.Label}";
  Label partners{
      .id = kPartners, .name = "Partners", .display_name = "Partners Only", .priority = 5};
  Label conf{
      .id = kConfidential, .name = "Confidential", .display_name = "Confidential", .priority = 10};
  conf.header_template = "CONFIDENTIAL";
  conf.footer_template = "Labelled by ${User.Name} at ${Event.DateTime}";
  conf.scope.domains = {"fabrikam.test", "*.partner.test"};
  Label secret{.id = kSecret, .name = "Secret", .display_name = "Highly Secret", .priority = 20};
  secret.header_template = "${Item.Label}";
  secret.protection = Protection::encrypt;
  secret.rights.bits = 0;
  secret.rights.add(Right::view);
  secret.rights.add(Right::reply);
  secret.scope.internal_only = true;
  secret.content_expiry_days = 7;
  c.labels = {general, partners, conf, secret};
  LabelPolicy everyone{.name = "Everyone", .priority = 0, .all_users = true};
  everyone.labels = {kGeneral, kConfidential, kSecret};
  LabelPolicy legal{.name = "Legal", .priority = 10};
  legal.groups = {"legal@contoso.test"};
  legal.users = {"boss@contoso.test"};
  legal.labels = {kGeneral, kPartners};
  legal.default_label = kGeneral;
  legal.mandatory = true;
  c.policies = {everyone, legal};
  return c;
}

inline Facts base_facts() {
  Facts f;
  f.tenant_id = kTenant;
  f.now = test_now();
  f.action_id = kAction;
  f.sender = "alice@contoso.test";
  f.sender_name = "Alice Example";
  f.sender_policy = effective_policy(test_catalog(), {f.sender}, {});
  f.recipients = {{"bob@contoso.test", "contoso.test", true, false}};
  return f;
}

/// A header value with one label of ours.
inline std::string header_for(const std::string& id, const std::string& name,
                              const std::string& site = kTenant) {
  return "MSIP_Label_" + id + "_Enabled=true; MSIP_Label_" + id +
         "_SetDate=2026-01-02T03:04:05Z; MSIP_Label_" + id + "_Method=Privileged; MSIP_Label_" +
         id + "_Name=" + name + "; MSIP_Label_" + id + "_SiteId=" + site + "; MSIP_Label_" + id +
         "_ActionId=dddddddd-dddd-dddd-dddd-dddddddddddd; MSIP_Label_" + id + "_ContentBits=0";
}

}  // namespace policy_test
