// trust: certificate/CRL input formats (see cert_io.hpp).
#include "smimegw/trust/cert_io.hpp"

#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/hex.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>

#include "smimegw/cms/signed_data.hpp"

namespace smimegw::trust {
namespace {

using Bytes = std::vector<std::uint8_t>;

struct PemBlock {
  std::string label;
  Bytes der;
};

bool looks_like_pem(std::span<const std::uint8_t> d) {
  std::string_view s(reinterpret_cast<const char*>(d.data()), d.size());
  return s.find("-----BEGIN ") != std::string_view::npos;
}

// Every well-formed PEM block; broken ones are skipped (and counted as nothing).
std::vector<PemBlock> pem_blocks(std::span<const std::uint8_t> d) {
  std::string_view s(reinterpret_cast<const char*>(d.data()), d.size());
  std::vector<PemBlock> out;
  std::size_t pos = 0;
  while ((pos = s.find("-----BEGIN ", pos)) != std::string_view::npos) {
    auto label_end = s.find("-----", pos + 11);
    if (label_end == std::string_view::npos) break;
    std::string label(s.substr(pos + 11, label_end - pos - 11));
    std::string end_marker = "-----END " + label + "-----";
    auto body_start = label_end + 5;
    auto end = s.find(end_marker, body_start);
    if (end == std::string_view::npos) break;
    try {
      auto sv = Botan::base64_decode(std::string(s.substr(body_start, end - body_start)));
      out.push_back({label, Bytes(sv.begin(), sv.end())});
    } catch (const std::exception&) {
    }
    pos = end + end_marker.size();
  }
  return out;
}

std::optional<std::vector<Botan::X509_Certificate>> certs_only(std::span<const std::uint8_t> der) {
  auto r = cms::verify(der, std::span<const std::uint8_t>{});
  if (!r) return std::nullopt;
  return r->certificates;
}

void decode_der_certificates(std::span<const std::uint8_t> der,
                             std::vector<Botan::X509_Certificate>& out) {
  try {
    out.emplace_back(der.data(), der.size());
    return;
  } catch (const std::exception&) {
  }
  if (auto certs = certs_only(der))
    for (auto& c : *certs) out.push_back(std::move(c));
}

core::Result<Bytes> read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return core::Error::make("unreadable_input", "cannot read " + p.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

core::Result<std::vector<Botan::X509_Certificate>> parse_certificates(
    std::span<const std::uint8_t> data) {
  std::vector<Botan::X509_Certificate> out;
  if (looks_like_pem(data)) {
    for (auto& b : pem_blocks(data)) {
      if (b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE") {
        try {
          out.emplace_back(b.der.data(), b.der.size());
        } catch (const std::exception&) {
        }
      } else if (b.label == "PKCS7" || b.label == "CMS") {
        if (auto certs = certs_only(b.der))
          for (auto& c : *certs) out.push_back(std::move(c));
      }
    }
  } else {
    decode_der_certificates(data, out);
  }
  if (out.empty())
    return core::Error::make("malformed_certificate", "no certificate could be decoded");
  return out;
}

core::Result<std::vector<Bytes>> split_crls(std::span<const std::uint8_t> data) {
  std::vector<Bytes> out;
  if (looks_like_pem(data)) {
    for (auto& b : pem_blocks(data))
      if (b.label == "X509 CRL") out.push_back(std::move(b.der));
  } else if (!data.empty()) {
    out.emplace_back(data.begin(), data.end());
  }
  if (out.empty()) return core::Error::make("malformed_crl", "no CRL found");
  return out;
}

core::Result<std::vector<Botan::X509_Certificate>> load_certificates(
    const std::filesystem::path& p) {
  auto bytes = read_all(p);
  if (!bytes) return bytes.error();
  auto r = parse_certificates(*bytes);
  if (!r) return core::Error::make(r.error().code, r.error().message + " in " + p.string());
  return r;
}

core::Result<std::vector<Bytes>> load_crls(const std::filesystem::path& p) {
  auto bytes = read_all(p);
  if (!bytes) return bytes.error();
  return split_crls(*bytes);
}

std::string sha256_hex(const Botan::X509_Certificate& cert) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  auto enc = cert.BER_encode();
  h->update(enc.data(), enc.size());
  return Botan::hex_encode(h->final(), false);
}

}  // namespace smimegw::trust
