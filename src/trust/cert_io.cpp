// trust: certificate/CRL input formats (see cert_io.hpp).
#include "smimegw/trust/cert_io.hpp"

#include <botan/base64.h>
#include <botan/hash.h>
#include <botan/hex.h>
#include <botan/pkix_types.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string_view>

#include "smimegw/cms/loaded_certificate.hpp"
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

// One DER certificate through the project's loader (notAfter 99991231235959Z included).
bool add_certificate(std::span<const std::uint8_t> der, std::vector<Botan::X509_Certificate>& out) {
  auto loaded = cms::load_certificate(der);
  if (!loaded) return false;
  out.push_back(std::move(loaded->certificate));
  return true;
}

void decode_der_certificates(std::span<const std::uint8_t> der,
                             std::vector<Botan::X509_Certificate>& out) {
  if (add_certificate(der, out)) return;
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
        add_certificate(b.der, out);
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

bool self_signed(const Botan::X509_Certificate& cert) {
  if (cert.is_self_signed()) return true;
  if (!(cert.subject_dn() == cert.issuer_dn())) return false;
  auto original = cms::no_expiry_original(cert);
  if (!original) return false;
  try {
    std::unique_ptr<Botan::Public_Key> key(cert.subject_public_key());
    return key && cms::issuer_signature_valid(*original, *key);
  } catch (const std::exception&) {
    return false;
  }
}

std::string sha256_hex(const Botan::X509_Certificate& cert) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  // The thumbprint of the bytes as issued, also for a no-expiry certificate read with a stand-in.
  auto enc = cms::no_expiry_original(cert).value_or(cert.BER_encode());
  h->update(enc.data(), enc.size());
  return Botan::hex_encode(h->final(), false);
}

}  // namespace smimegw::trust
