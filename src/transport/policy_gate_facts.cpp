// transport: plain helpers of the policy gate (policy_gate_facts.hpp).
#include "policy_gate_facts.hpp"

#include <botan/hex.h>
#include <botan/system_rng.h>

#include <boost/json.hpp>

#include "smimegw/core/address.hpp"
#include "smimegw/mime/content_type.hpp"

namespace smimegw::transport::gate {

namespace {

std::string content_type(const mime::Message& msg) {
  return core::ascii_lower(msg.header("Content-Type"));
}

bool starts(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

}  // namespace

std::vector<std::string> answered_ids(const mime::Message& msg) {
  std::vector<std::string> out;
  for (const char* field : {"In-Reply-To", "References"}) {
    std::string v = msg.header(field);
    std::size_t pos = 0;
    while (out.size() < 50) {
      auto open = v.find('<', pos);
      if (open == std::string::npos) break;
      auto close = v.find('>', open);
      if (close == std::string::npos) break;
      auto id = v.substr(open, close - open + 1);
      if (id.size() <= 998 && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
      pos = close + 1;
    }
  }
  return out;
}

bool client_signed(const mime::Message& msg) {
  auto ct = content_type(msg);
  if (starts(ct, "multipart/signed")) return true;
  return (starts(ct, "application/pkcs7-mime") || starts(ct, "application/x-pkcs7-mime")) &&
         ct.find("signed-data") != std::string::npos;
}

bool client_encrypted(const mime::Message& msg) {
  auto ct = content_type(msg);
  if (!starts(ct, "application/pkcs7-mime") && !starts(ct, "application/x-pkcs7-mime"))
    return false;
  return ct.find("signed-data") == std::string::npos && ct.find("certs-only") == std::string::npos;
}

std::string random_guid() {
  std::uint8_t b[16];
  Botan::system_rng().randomize(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  auto h = Botan::hex_encode(b, sizeof b, false);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string refusal_line(const std::string& address, const std::string& code,
                         const std::string& reason) {
  std::string line = (address.empty() ? std::string("message") : address) + ": " + code;
  if (!reason.empty()) line += ": " + reason;
  for (auto& c : line)
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  return line;
}

std::string json_object(const std::vector<std::pair<std::string, std::string>>& fields) {
  boost::json::object o;
  for (const auto& [k, v] : fields) o[k] = v;
  return boost::json::serialize(o);
}

std::string via_path(const std::vector<GateRecipient>& recipients, const std::string& address) {
  const auto key = core::ascii_lower(address);
  for (const auto& r : recipients) {
    if (r.address != key || r.via.empty()) continue;
    std::string out;
    for (const auto& g : r.via) out += (out.empty() ? "" : ">") + g;
    return out;
  }
  return {};
}

std::vector<std::string> refusal_lines(const policy::Decision& d,
                                       const std::vector<GateRecipient>& recipients) {
  std::vector<std::string> out;
  for (const auto& r : d.refusals)
    if (r.recipient.empty()) out.push_back(refusal_line("", r.code, r.reason));
  for (const auto& r : d.refusals) {
    if (r.recipient.empty()) continue;
    const auto via = via_path(recipients, r.recipient);
    out.push_back(
        refusal_line(r.recipient + (via.empty() ? "" : " (via " + via + ")"), r.code, r.reason));
  }
  return out;
}

std::string cipher_name(const std::string& v) {
  return core::ascii_lower(v);
}

std::string digest_name(const std::string& v) {
  auto l = core::ascii_lower(v);
  l.erase(std::remove(l.begin(), l.end(), '-'), l.end());
  return l;
}

}  // namespace smimegw::transport::gate
