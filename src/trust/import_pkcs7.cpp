// trust: certificates of a PKCS#7/CMS SignedData, e.g. a certs-only .p7b (RFC 5652 §5.1,
// RFC 8551 §3.2.2) or a .sst written by Export-Certificate -Type SST (import.hpp).
//
// The cms module validates the ContentInfo (well-formed BER within limits); the SignedData is then
// walked with a small BER reader of our own that follows indefinite lengths (Botan 2.19's decoder
// rejects nested indefinite lengths as "Value truncated"). Certificates are returned as the exact
// bytes of their TLV.
#include <cstdio>
#include <optional>

#include "smimegw/cms/content_info.hpp"
#include "smimegw/trust/import.hpp"

namespace smimegw::trust {
namespace {

using Span = std::span<const std::uint8_t>;

struct Tlv {
  std::uint8_t tag = 0;  ///< the identifier octet (low-tag-number form only)
  Span content;
  Span whole;
};

// Reads the TLV at the start of `b`; nullopt when it is not well-formed BER.
std::optional<Tlv> read_tlv(Span b, int depth = 0) {
  if (depth > 64 || b.size() < 2 || (b[0] & 0x1F) == 0x1F) return std::nullopt;
  Tlv t;
  t.tag = b[0];
  std::size_t hdr = 2, len = b[1];
  if (len == 0x80) {  // indefinite: constructed only, children up to end-of-contents
    if (!(t.tag & 0x20)) return std::nullopt;
    std::size_t pos = 2;
    while (true) {
      if (b.size() - pos < 2) return std::nullopt;
      if (b[pos] == 0 && b[pos + 1] == 0) break;
      auto child = read_tlv(b.subspan(pos), depth + 1);
      if (!child) return std::nullopt;
      pos += child->whole.size();
    }
    t.content = b.subspan(2, pos - 2);
    t.whole = b.subspan(0, pos + 2);
    return t;
  }
  if (len & 0x80) {
    std::size_t n = len & 0x7F;
    if (n > 4 || b.size() < 2 + n) return std::nullopt;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | b[2 + i];
    hdr += n;
  }
  if (len > b.size() - hdr) return std::nullopt;
  t.content = b.subspan(hdr, len);
  t.whole = b.subspan(0, hdr + len);
  return t;
}

std::optional<std::vector<Tlv>> children(Span content) {
  std::vector<Tlv> out;
  for (std::size_t pos = 0; pos < content.size();) {
    auto t = read_tlv(content.subspan(pos));
    if (!t) return std::nullopt;
    pos += t->whole.size();
    out.push_back(*t);
  }
  return out;
}

core::Error bad(const std::string& what) {
  return core::Error::make("malformed", "PKCS#7: bad SignedData: " + what);
}

}  // namespace

core::Result<std::vector<ExtractedItem>> extract_pkcs7(std::span<const std::uint8_t> der,
                                                       const ImportLimits& limits) {
  cms::Limits cl;
  cl.max_input_bytes = limits.max_input_bytes;
  cl.max_certificates = limits.max_items;
  auto ci = cms::parse_content_info(der, cl);
  if (!ci) return core::Error::make("malformed", "PKCS#7: " + ci.error().message);
  if (ci->content_type != "1.2.840.113549.1.7.2")
    return core::Error::make("malformed",
                             "PKCS#7: content type " + ci->content_type + " is not SignedData");
  auto top = read_tlv(der);
  if (!top) return bad("not BER");
  auto outer = children(top->content);  // contentType, [0]
  if (!outer || outer->size() < 2 || (*outer)[1].tag != 0xA0) return bad("no [0] content");
  auto inner = children((*outer)[1].content);
  if (!inner || inner->empty() || (*inner)[0].tag != 0x30) return bad("content is not a SEQUENCE");
  auto fields = children((*inner)[0].content);  // version, digestAlgorithms, encapContentInfo, ...
  if (!fields || fields->size() < 3) return bad("too few fields");
  std::vector<ExtractedItem> out;
  if (fields->size() < 4 || (*fields)[3].tag != 0xA0) return out;  // no certificates [0]
  auto certs = children((*fields)[3].content);
  if (!certs) return bad("certificates are not BER");
  std::size_t n = 0;
  for (const auto& c : *certs) {
    if (++n > limits.max_items)
      return core::Error::make(
          "too_large", "PKCS#7: more than " + std::to_string(limits.max_items) + " certificates");
    std::string origin = "certificate " + std::to_string(n);
    if (c.tag != 0x30) {
      char tag[8];
      std::snprintf(tag, sizeof tag, "0x%02X", c.tag);
      out.push_back({{},
                     std::string("PKCS#7 entry with tag ") + tag +
                         " is not an X.509 certificate (attribute or other certificate)",
                     "",
                     origin});
      continue;
    }
    out.push_back({{c.whole.begin(), c.whole.end()}, "", "", origin});
  }
  return out;
}

}  // namespace smimegw::trust
