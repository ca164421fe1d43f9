// trust: format detection, PEM and DER of certificate files (import.hpp).
#include "smimegw/trust/import.hpp"

#include <botan/base64.h>

#include <algorithm>
#include <string_view>

#include "smimegw/cms/content_info.hpp"

namespace smimegw::trust {
namespace {

using core::Error;

constexpr std::uint8_t kStoreHeader[8] = {0, 0, 0, 0, 'C', 'E', 'R', 'T'};

bool is_certificate_label(std::string_view label) {
  return label == "CERTIFICATE" || label == "X509 CERTIFICATE" || label == "TRUSTED CERTIFICATE";
}

bool is_pkcs7_label(std::string_view label) {
  return label == "PKCS7" || label == "CMS";
}

// Length of the DER/BER TLV at the start of `b` (header + content), or 0 when it isn't one.
// Indefinite lengths are not followed here (a certificate is DER).
std::size_t tlv_size(std::span<const std::uint8_t> b) {
  if (b.size() < 2 || (b[0] & 0x1F) == 0x1F) return 0;
  std::size_t len = b[1], hdr = 2;
  if (len & 0x80) {
    std::size_t n = len & 0x7F;
    if (n == 0 || n > 4 || b.size() < 2 + n) return 0;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | b[2 + i];
    hdr += n;
  }
  return len > b.size() - hdr ? 0 : hdr + len;
}

bool looks_like_signed_data(std::span<const std::uint8_t> b) {
  auto ci = cms::parse_content_info(b);
  return ci.ok() && ci->content_type == "1.2.840.113549.1.7.2";
}

core::Result<Extracted> extract_pem(std::string_view text, const ImportLimits& limits) {
  Extracted out{"pem", {}};
  std::size_t pos = 0;
  int block = 0;
  while ((pos = text.find("-----BEGIN ", pos)) != std::string_view::npos) {
    ++block;
    auto label_end = text.find("-----", pos + 11);
    auto eol = text.find('\n', pos);
    if (label_end == std::string_view::npos || eol == std::string_view::npos || label_end > eol)
      return Error::make("malformed", "PEM block " + std::to_string(block) + ": bad BEGIN line");
    std::string label(text.substr(pos + 11, label_end - pos - 11));
    std::string end_line = "-----END " + label + "-----";
    auto end = text.find(end_line, eol);
    if (end == std::string_view::npos)
      return Error::make("malformed", "PEM block " + std::to_string(block) + " (" + label +
                                          "): no matching END line (truncated file?)");
    std::string origin = "PEM block " + std::to_string(block);
    std::vector<std::uint8_t> der;
    std::string problem;
    try {
      auto body = std::string(text.substr(eol + 1, end - eol - 1));
      // RFC 7468 allows explanatory headers only in legacy blocks; drop "Key: value" lines.
      if (body.find(':') != std::string::npos) {
        std::string kept;
        std::size_t p = 0;
        while (p < body.size()) {
          auto nl = body.find('\n', p);
          auto line = body.substr(p, nl == std::string::npos ? std::string::npos : nl - p);
          if (line.find(':') == std::string::npos) kept += line + "\n";
          p = nl == std::string::npos ? body.size() : nl + 1;
        }
        body = kept;
      }
      auto decoded = Botan::base64_decode(body, true);
      der.assign(decoded.begin(), decoded.end());
    } catch (const std::exception&) {
      problem = "bad base64";
    }
    pos = end + end_line.size();
    if (!problem.empty() || is_certificate_label(label)) {
      out.items.push_back({std::move(der), "", problem, origin});
    } else if (is_pkcs7_label(label)) {
      auto certs = extract_pkcs7(der, limits);
      if (!certs) return Error::make(certs.error().code, origin + ": " + certs.error().message);
      for (auto& c : *certs) {
        c.origin = origin + " " + c.origin;
        out.items.push_back(std::move(c));
      }
    } else {
      out.items.push_back({{}, "PEM " + label + " is not a certificate", "", origin});
    }
    if (out.items.size() > limits.max_items)
      return Error::make("too_large",
                         "more than " + std::to_string(limits.max_items) + " entries in one file");
  }
  return out;
}

}  // namespace

core::Result<Extracted> extract_certificates(std::span<const std::uint8_t> bytes,
                                             const ImportLimits& limits) {
  if (bytes.size() > limits.max_input_bytes)
    return Error::make("too_large",
                       "file is larger than " + std::to_string(limits.max_input_bytes) + " bytes");
  if (bytes.empty()) return Error::make("malformed", "the file is empty");
  if (bytes.size() >= 8 && std::equal(kStoreHeader, kStoreHeader + 8, bytes.begin())) {
    auto items = extract_serialized_store(bytes, limits);
    if (!items) return items.error();
    if (items->empty()) return Error::make("no_certificates", "the certificate store is empty");
    return Extracted{"sst", std::move(*items)};
  }
  if (bytes[0] == 0x30) {
    if (looks_like_signed_data(bytes)) {
      auto items = extract_pkcs7(bytes, limits);
      if (!items) return items.error();
      if (items->empty())
        return Error::make("no_certificates", "the PKCS#7 file holds no certificate");
      return Extracted{"pkcs7", std::move(*items)};
    }
    if (tlv_size(bytes) == bytes.size())
      return Extracted{"der", {{{bytes.begin(), bytes.end()}, "", "", "DER certificate"}}};
    return Error::make("malformed",
                       "DER data that is neither a certificate nor PKCS#7 "
                       "(truncated, or trailing bytes)");
  }
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (text.find("-----BEGIN ") != std::string_view::npos) {
    auto pem = extract_pem(text, limits);
    if (!pem) return pem.error();
    if (pem->items.empty()) return Error::make("no_certificates", "no PEM block in the file");
    return pem;
  }
  return Error::make("malformed",
                     "not a certificate file (PEM, DER, PKCS#7 .p7b or serialized store .sst)");
}

}  // namespace smimegw::trust
