#include "der_scan.hpp"

#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/pkix_types.h>

namespace smimegw::trust::detail {
namespace {

// One TLV at `pos` in [begin, end): tag byte, content range. False when malformed.
struct Tlv {
  std::uint8_t tag = 0;
  std::size_t start = 0, len = 0;
};

bool read_tlv(const std::vector<std::uint8_t>& d, std::size_t pos, std::size_t end, Tlv& out) {
  if (pos + 2 > end) return false;
  out.tag = d[pos];
  if ((out.tag & 0x1f) == 0x1f) return false;  // high tag numbers do not occur here
  std::size_t p = pos + 1;
  std::size_t len = d[p++];
  if (len & 0x80) {
    std::size_t n = len & 0x7f;
    if (n == 0 || n > 4 || p + n > end) return false;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | d[p++];
  }
  if (len > end - p) return false;
  out.start = p;
  out.len = len;
  return true;
}

void walk_uris(const std::vector<std::uint8_t>& d, std::size_t pos, std::size_t end, int depth,
               std::vector<std::string>& out) {
  if (depth > 16) return;
  while (pos < end) {
    Tlv t;
    if (!read_tlv(d, pos, end, t)) return;
    if (t.tag == 0x86) {
      out.emplace_back(reinterpret_cast<const char*>(d.data() + t.start), t.len);
    } else if (t.tag & 0x20) {
      walk_uris(d, t.start, t.start + t.len, depth + 1, out);
    }
    pos = t.start + t.len;
  }
}

std::vector<std::string> http_only(std::vector<std::string> uris) {
  std::vector<std::string> out;
  for (auto& u : uris)
    if (u.rfind("http://", 0) == 0) out.push_back(std::move(u));
  return out;
}

}  // namespace

std::vector<std::string> collect_uris(const std::vector<std::uint8_t>& der) {
  std::vector<std::string> out;
  walk_uris(der, 0, der.size(), 0, out);
  return out;
}

std::optional<std::vector<std::uint8_t>> extension_value(const Botan::X509_Certificate& cert,
                                                         const std::string& oid) {
  auto raw = cert.v3_extensions().extensions_raw();
  auto it = raw.find(Botan::OID(oid));
  if (it == raw.end()) return std::nullopt;
  return it->second.first;
}

std::vector<std::string> crl_distribution_points(const Botan::X509_Certificate& cert) {
  auto v = extension_value(cert, "2.5.29.31");
  return v ? http_only(collect_uris(*v)) : std::vector<std::string>{};
}

namespace {

// AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription {accessMethod, accessLocation};
// the http locations of one access method.
std::vector<std::string> aia_urls(const Botan::X509_Certificate& cert,
                                  const std::vector<std::uint8_t>& method) {
  auto v = extension_value(cert, "1.3.6.1.5.5.7.1.1");
  std::vector<std::string> out;
  if (!v) return out;
  const auto& d = *v;
  Tlv seq;
  if (!read_tlv(d, 0, d.size(), seq) || seq.tag != 0x30) return out;
  std::size_t pos = seq.start, end = seq.start + seq.len;
  while (pos < end) {
    Tlv ad;
    if (!read_tlv(d, pos, end, ad) || ad.tag != 0x30) break;
    Tlv oid;
    if (read_tlv(d, ad.start, ad.start + ad.len, oid) && oid.tag == 0x06 &&
        std::vector<std::uint8_t>(d.begin() + oid.start, d.begin() + oid.start + oid.len) ==
            method) {
      std::vector<std::uint8_t> loc(d.begin() + oid.start + oid.len, d.begin() + ad.start + ad.len);
      for (auto& u : collect_uris(loc)) out.push_back(u);
    }
    pos = ad.start + ad.len;
  }
  return http_only(out);
}

}  // namespace

std::vector<std::string> ca_issuer_urls(const Botan::X509_Certificate& cert) {
  return aia_urls(cert, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02});  // id-ad-caIssuers
}

std::vector<std::string> ocsp_urls(const Botan::X509_Certificate& cert) {
  return aia_urls(cert, {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01});  // id-ad-ocsp
}

CrlScope parse_idp(const std::vector<std::uint8_t>& d) {
  CrlScope s;
  s.present = true;
  Tlv seq;
  if (!read_tlv(d, 0, d.size(), seq) || seq.tag != 0x30) {
    s.unsupported = true;
    return s;
  }
  std::size_t pos = seq.start, end = seq.start + seq.len;
  while (pos < end) {
    Tlv t;
    if (!read_tlv(d, pos, end, t)) {
      s.unsupported = true;
      return s;
    }
    bool flag = t.len > 0 && d[t.start] != 0;
    switch (t.tag) {
      case 0xa0: {  // distributionPoint
        std::vector<std::uint8_t> dp(d.begin() + t.start, d.begin() + t.start + t.len);
        s.uris = collect_uris(dp);
        break;
      }
      case 0x81:
        s.only_user_certs = flag;
        break;
      case 0x82:
        s.only_ca_certs = flag;
        break;
      case 0x83:
        s.unsupported = true;
        break;  // onlySomeReasons
      case 0x84:
        if (flag) s.unsupported = true;
        break;  // indirectCRL
      case 0x85:
        s.only_attribute_certs = flag;
        break;
      default:
        s.unsupported = true;
        break;
    }
    pos = t.start + t.len;
  }
  return s;
}

}  // namespace smimegw::trust::detail
