// trust: the Microsoft serialized certificate store (CERT_STORE_SAVE_AS_STORE), the older form of
// .sst files (the layout is in import.hpp; Wine's crypt32 serialize.c reads the same layout).
#include "smimegw/trust/import.hpp"

namespace smimegw::trust {
namespace {

constexpr std::uint32_t kCertProp = 0x20;  // CERT_CERT_PROP_ID: the encoded certificate
constexpr std::uint32_t kCrlProp = 0x21;
constexpr std::uint32_t kCtlProp = 0x22;

std::uint32_t le32(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

}  // namespace

core::Result<std::vector<ExtractedItem>> extract_serialized_store(
    std::span<const std::uint8_t> bytes, const ImportLimits& limits) {
  if (bytes.size() < 8 || le32(bytes, 0) != 0 || bytes[4] != 'C' || bytes[5] != 'E' ||
      bytes[6] != 'R' || bytes[7] != 'T')
    return core::Error::make("malformed", "SST: no serialized-store header");
  std::vector<ExtractedItem> out;
  std::size_t pos = 8, element = 0;
  while (pos < bytes.size()) {
    ++element;
    std::string at = "SST element " + std::to_string(element) + " at offset " + std::to_string(pos);
    if (bytes.size() - pos < 12) return core::Error::make("malformed", at + ": truncated header");
    std::uint32_t prop = le32(bytes, pos), encoding = le32(bytes, pos + 4),
                  len = le32(bytes, pos + 8);
    pos += 12;
    if (prop == 0) break;  // end-of-store marker
    if (encoding != 1)
      return core::Error::make("malformed",
                               at + ": unexpected encoding type " + std::to_string(encoding));
    if (len > bytes.size() - pos)
      return core::Error::make(
          "malformed", at + ": length " + std::to_string(len) + " runs past the end of the file");
    auto value = bytes.subspan(pos, len);
    pos += len;
    if (prop == kCertProp)
      out.push_back({{value.begin(), value.end()}, "", "", at});
    else if (prop == kCrlProp)
      out.push_back({{}, "a CRL, not a certificate", "", at});
    else if (prop == kCtlProp)
      out.push_back({{}, "a certificate trust list, not a certificate", "", at});
    if (out.size() > limits.max_items)
      return core::Error::make("too_large",
                               "SST: more than " + std::to_string(limits.max_items) + " entries");
  }
  return out;
}

}  // namespace smimegw::trust
