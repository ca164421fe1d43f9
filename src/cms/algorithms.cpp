// cms: algorithm tables (algorithms.hpp).
#include "smimegw/cms/algorithms.hpp"

#include <array>

namespace smimegw::cms {

namespace {

struct DigestRow {
  DigestAlgorithm d;
  std::string_view botan;
  std::string_view oid;
};
constexpr std::array kDigests{
    DigestRow{DigestAlgorithm::sha1, "SHA-1", "1.3.14.3.2.26"},
    DigestRow{DigestAlgorithm::sha224, "SHA-224", "2.16.840.1.101.3.4.2.4"},
    DigestRow{DigestAlgorithm::sha256, "SHA-256", "2.16.840.1.101.3.4.2.1"},
    DigestRow{DigestAlgorithm::sha384, "SHA-384", "2.16.840.1.101.3.4.2.2"},
    DigestRow{DigestAlgorithm::sha512, "SHA-512", "2.16.840.1.101.3.4.2.3"},
};

struct CipherRow {
  ContentCipher c;
  std::string_view oid;
  std::string_view botan;
  std::string_view display;
  std::size_t key_len;
  bool aead;
};
constexpr std::array kCiphers{
    CipherRow{ContentCipher::aes128_cbc, "2.16.840.1.101.3.4.1.2", "AES-128/CBC", "aes-128-cbc", 16,
              false},
    CipherRow{ContentCipher::aes192_cbc, "2.16.840.1.101.3.4.1.22", "AES-192/CBC", "aes-192-cbc",
              24, false},
    CipherRow{ContentCipher::aes256_cbc, "2.16.840.1.101.3.4.1.42", "AES-256/CBC", "aes-256-cbc",
              32, false},
    CipherRow{ContentCipher::aes128_gcm, "2.16.840.1.101.3.4.1.6", "AES-128/GCM", "aes-128-gcm", 16,
              true},
    CipherRow{ContentCipher::aes192_gcm, "2.16.840.1.101.3.4.1.26", "AES-192/GCM", "aes-192-gcm",
              24, true},
    CipherRow{ContentCipher::aes256_gcm, "2.16.840.1.101.3.4.1.46", "AES-256/GCM", "aes-256-gcm",
              32, true},
    CipherRow{ContentCipher::des3_cbc, "1.2.840.113549.3.7", "TripleDES/CBC", "des-ede3-cbc", 24,
              false},
};

const CipherRow& row(ContentCipher c) {
  for (const auto& r : kCiphers)
    if (r.c == c) return r;
  return kCiphers[2];
}

const DigestRow& row(DigestAlgorithm d) {
  for (const auto& r : kDigests)
    if (r.d == d) return r;
  return kDigests[2];
}

}  // namespace

std::string_view botan_name(DigestAlgorithm d) {
  return row(d).botan;
}
std::string_view oid_of(DigestAlgorithm d) {
  return row(d).oid;
}

std::optional<DigestAlgorithm> digest_from_oid(std::string_view oid) {
  for (const auto& r : kDigests)
    if (r.oid == oid) return r.d;
  return std::nullopt;
}

std::optional<DigestAlgorithm> digest_from_botan_name(std::string_view name) {
  for (const auto& r : kDigests)
    if (r.botan == name) return r.d;
  return std::nullopt;
}

std::string_view oid_of(ContentCipher c) {
  return row(c).oid;
}

std::optional<ContentCipher> cipher_from_oid(std::string_view oid) {
  for (const auto& r : kCiphers)
    if (r.oid == oid) return r.c;
  return std::nullopt;
}

bool is_aead(ContentCipher c) {
  return row(c).aead;
}
std::size_t key_length(ContentCipher c) {
  return row(c).key_len;
}
std::string_view botan_name(ContentCipher c) {
  return row(c).botan;
}
std::string_view display_name(ContentCipher c) {
  return row(c).display;
}

}  // namespace smimegw::cms
