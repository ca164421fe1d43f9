// directory: the names of CertUsage (certificate_store.hpp).
#include "smimegw/directory/certificate_store.hpp"

namespace smimegw::directory {

const char* to_string(CertUsage usage) {
  switch (usage) {
    case CertUsage::sign:
      return "sign";
    case CertUsage::encrypt:
      return "encrypt";
    case CertUsage::both:
      break;
  }
  return "both";
}

std::optional<CertUsage> parse_cert_usage(std::string_view text) {
  if (text == "sign") return CertUsage::sign;
  if (text == "encrypt") return CertUsage::encrypt;
  if (text == "both") return CertUsage::both;
  return std::nullopt;
}

}  // namespace smimegw::directory
