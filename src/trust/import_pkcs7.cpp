// trust: certificates of a PKCS#7/CMS SignedData, e.g. a certs-only .p7b (RFC 5652 §5.1,
// RFC 8551 §3.2.2) or a .sst written by Export-Certificate -Type SST (import.hpp).
#include <botan/ber_dec.h>
#include <botan/der_enc.h>

#include "smimegw/cms/content_info.hpp"
#include "smimegw/trust/import.hpp"

namespace smimegw::trust {

core::Result<std::vector<ExtractedItem>> extract_pkcs7(std::span<const std::uint8_t> der,
                                                       const ImportLimits& limits) {
  cms::Limits cl;
  cl.max_input_bytes = limits.max_input_bytes;
  cl.max_certificates = limits.max_items;
  auto ci = cms::parse_content_info(der, cl);
  if (!ci) return core::Error::make("malformed", "PKCS#7: " + ci.error().message);
  if (ci->content_type != "1.2.840.113549.1.7.2")
    return core::Error::make("malformed", "PKCS#7: content type " + ci->content_type +
                                              " is not SignedData");
  std::vector<ExtractedItem> out;
  try {
    Botan::BER_Decoder top(ci->content.data(), ci->content.size());
    Botan::BER_Decoder sd = top.start_cons(Botan::SEQUENCE);
    sd.get_next_object();  // version
    sd.get_next_object();  // digestAlgorithms
    sd.get_next_object();  // encapContentInfo
    auto next = sd.get_next_object();
    if (!next.is_a(0, Botan::ASN1_Tag(Botan::CONTEXT_SPECIFIC | Botan::CONSTRUCTED))) return out;
    Botan::BER_Decoder certs(next.bits(), next.length());
    std::size_t n = 0;
    while (certs.more_items()) {
      auto obj = certs.get_next_object();
      ++n;
      if (n > limits.max_items)
        return core::Error::make("too_large", "PKCS#7: more than " +
                                                  std::to_string(limits.max_items) + " certificates");
      std::string origin = "certificate " + std::to_string(n);
      if (!obj.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED)) {
        out.push_back({{}, "PKCS#7 entry with tag [" + std::to_string(obj.type()) +
                               "] is not an X.509 certificate (attribute or other certificate)",
                       "", origin});
        continue;
      }
      std::vector<std::uint8_t> cert;
      Botan::DER_Encoder(cert).add_object(Botan::SEQUENCE, Botan::CONSTRUCTED, obj.bits(),
                                          obj.length());
      out.push_back({std::move(cert), "", "", origin});
    }
  } catch (const std::exception& e) {
    return core::Error::make("malformed", std::string("PKCS#7: bad SignedData: ") + e.what());
  }
  return out;
}

}  // namespace smimegw::trust
