// transport: Plan ⇄ JSON (plan.hpp).
#include "smimegw/transport/plan.hpp"

#include <botan/base64.h>

#include <boost/json.hpp>

namespace smimegw::transport {

namespace json = boost::json;

namespace {

json::object cert_json(const PlanCertificate& c) {
  return {{"address", c.address},
          {"role", c.role},
          {"source", c.source},
          {"thumbprint", c.thumbprint},
          {"der", Botan::base64_encode(c.der)},
          {"bcc", c.bcc}};
}

std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  return std::string(v->as_string());
}

bool flag(const json::object& o, std::string_view key, bool fallback) {
  auto* v = o.if_contains(key);
  return v && v->is_bool() ? v->as_bool() : fallback;
}

}  // namespace

std::string to_json(const Plan& p) {
  json::array certs;
  for (const auto& c : p.certificates) certs.push_back(cert_json(c));
  json::array bcc;
  for (const auto& b : p.bcc) bcc.push_back(json::string(b));
  json::object o{{"version", p.version},
                 {"sender", p.sender},
                 {"senderName", p.sender_name},
                 {"labelId", p.label_id},
                 {"labelName", p.label_name},
                 {"markingHeader", p.marking_header},
                 {"markingFooter", p.marking_footer},
                 {"setMsip", p.set_msip},
                 {"msipLabels", p.msip_labels},
                 {"sign", p.sign},
                 {"signThumbprint", p.sign_thumbprint},
                 {"digest", p.digest},
                 {"includeChain", p.include_chain},
                 {"encrypt", p.encrypt},
                 {"cipher", p.cipher},
                 {"oneCopyPerBcc", p.one_copy_per_bcc},
                 {"certificates", std::move(certs)},
                 {"bcc", std::move(bcc)}};
  return json::serialize(o);
}

core::Result<Plan> plan_from_json(std::string_view text) {
  auto bad = [](const std::string& why) { return core::Error::make("plan_invalid", why); };
  try {
    json::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return bad("the stored plan is not a JSON object");
    const auto& o = v.as_object();
    Plan p;
    if (auto* ver = o.if_contains("version"); !ver || !ver->is_int64() || ver->as_int64() != 1)
      return bad("unknown plan version");
    p.sender = str(o, "sender");
    p.sender_name = str(o, "senderName");
    p.label_id = str(o, "labelId");
    p.label_name = str(o, "labelName");
    p.marking_header = str(o, "markingHeader");
    p.marking_footer = str(o, "markingFooter");
    p.set_msip = flag(o, "setMsip", false);
    p.msip_labels = str(o, "msipLabels");
    p.sign = flag(o, "sign", false);
    p.sign_thumbprint = str(o, "signThumbprint");
    p.digest = str(o, "digest");
    p.include_chain = str(o, "includeChain");
    p.encrypt = flag(o, "encrypt", false);
    p.cipher = str(o, "cipher");
    p.one_copy_per_bcc = flag(o, "oneCopyPerBcc", true);
    if (auto* certs = o.if_contains("certificates"); certs && certs->is_array()) {
      for (const auto& cv : certs->as_array()) {
        if (!cv.is_object()) return bad("a plan certificate is not an object");
        const auto& c = cv.as_object();
        auto der = Botan::base64_decode(str(c, "der"));
        p.certificates.push_back(
            {str(c, "address"), str(c, "role"), str(c, "source"), str(c, "thumbprint"),
             std::vector<std::uint8_t>(der.begin(), der.end()), flag(c, "bcc", false)});
      }
    }
    if (auto* bcc = o.if_contains("bcc"); bcc && bcc->is_array())
      for (const auto& b : bcc->as_array())
        if (b.is_string()) p.bcc.emplace_back(b.as_string());
    return p;
  } catch (const std::exception& e) {
    return bad(std::string("the stored plan cannot be read: ") + e.what());
  }
}

}  // namespace smimegw::transport
