// cms: PKCS#12 (RFC 7292) import and export on Botan 2.19, which has no PKCS#12 of its own.
//
// Owns: turning a PFX file plus a password into private keys and certificates (import), and
// writing keys + certificates into a PFX that OpenSSL 3, NSS and Windows read (export). No I/O.
//
// Import flow: PFX (version 3) → authSafe must be `data` (password integrity mode) → MacData
// checked with HMAC-SHA1/224/256/384/512, MAC key from the RFC 7292 appendix B KDF (ID 3) over the
// password as BMPString with a trailing zero → AuthenticatedSafe: `data` and `encryptedData`
// ContentInfos → SafeContents → SafeBags: keyBag, pkcs8ShroudedKeyBag, certBag (x509Certificate),
// safeContentsBag (nested); crlBag, secretBag and sdsiCertificate are skipped with a note.
// Keys and certificates are paired by the localKeyId attribute, then by public key; friendlyName
// (BMPString) comes back as UTF-8. Certificates without a key are returned as `extra_certificates`.
//
// Algorithms read:
//   - PBES2 (RFC 8018): PBKDF2 with HMAC-SHA1/224/256/384/512, AES-128/192/256-CBC or
//     DES-EDE3-CBC. PBKDF2 gets the password bytes as given (UTF-8), as OpenSSL and NSS do.
//   - PKCS#12 PBE (RFC 7292 appendix C): pbeWithSHAAnd3-KeyTripleDES-CBC and
//     pbeWithSHAAnd2-KeyTripleDES-CBC, keys/IV from the appendix B KDF with SHA-1.
//   - NOT read (`unsupported_algorithm`, the message names the algorithm and says to re-export
//     with AES: `openssl pkcs12 -export ... -keypbe AES-256-CBC -certpbe AES-256-CBC`):
//     pbeWithSHAAnd40BitRC2-CBC (RC2-40, OpenSSL's pre-3.0 and Java's legacy default for
//     certificate bags), RC2-128, RC4, PBES1; public-key privacy and integrity modes
//     (envelopedData / signedData); PBMAC1 (RFC 9579).
// Algorithms written (export): PBES2 PBKDF2-HMAC-SHA256 + AES-256-CBC for the key bags and the
// certificate bags, HMAC-SHA256 MAC, localKeyId = SHA-1 of the certificate, friendlyName.
//
// Passwords: UTF-8 (invalid UTF-8 is taken as Latin-1, as OpenSSL's asc2uni does). An empty
// password is tried as OpenSSL does: first as an absent password (empty BMPString, no
// terminator), then as "" (BMPString 00 00); the variant that verifies the MAC decrypts.
// A file without MacData is accepted (mac_verified = false, with a note).
//
// Failure semantics (Error.code); no Botan exception escapes:
//   wrong_password         the MAC does not verify with the password and no encrypted element
//                          decrypts with it either. Also a file with nothing encrypted whose MAC
//                          fails (alteration and a wrong password can't be told apart there), and
//                          a file without MAC that does not decrypt.
//   mac_mismatch           the MAC does not verify, yet at least one encrypted element (shrouded
//                          key or encryptedData) decrypts with the password into well-formed DER:
//                          the password is right, so the file was altered or corrupted.
//   unsupported_algorithm  an algorithm listed as not read above, an unknown OID or key type.
//   malformed              not BER of the expected shape, truncated, trailing data, or a bag that
//                          fails to decrypt although the MAC verified. (A certificate Botan
//                          rejects is not an error: it is returned as DER only, with a note.)
//   limit_exceeded         input size, nesting depth, bag count, one iteration count or the total
//                          key-derivation work over Pkcs12Limits.
//   invalid_argument       (export) iterations below 2048, nothing to export, missing key/cert.
//   key_mismatch           (export) an entry's private key does not belong to its certificate.
//   internal               (export) Botan failed while encoding or encrypting.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::cms {

/// Bounds every PKCS#12 decode; exceeding one yields `limit_exceeded` (the code every cms decoder
/// uses).
struct Pkcs12Limits {
  std::size_t max_input_bytes = 4 * 1024 * 1024;
  std::size_t max_depth = 24;                 ///< BER nesting, including nested safeContentsBags
  std::size_t max_bags = 512;                 ///< SafeBags in the whole file
  std::uint64_t max_iterations = 10'000'000;  ///< PBKDF2, PKCS#12 PBE and MAC iteration counts
  /// Sum of all iteration counts one parse may run (MAC attempts, every decryption, the
  /// wrong-password probe): bounds the CPU a hostile file can cost.
  std::uint64_t max_total_iterations = 40'000'000;
};

/// A private key with the certificate it belongs to (when the file carries it).
struct Pkcs12Entry {
  /// Never null. EC keys load as Botan ECDSA keys (algo_name "ECDSA"); key agreement must
  /// rebuild them as ECDH_PrivateKey from the same domain and private value.
  std::unique_ptr<Botan::Private_Key> private_key;
  /// The paired certificate as Botan reads it; empty when there is none or Botan rejects it
  /// (e.g. Botan 2.19 refuses notAfter 99991231235959Z, RFC 5280's "no expiry"): see
  /// certificate_der.
  std::optional<Botan::X509_Certificate> certificate;
  std::vector<std::uint8_t> certificate_der;  ///< the paired certificate's DER; empty when none
  std::string friendly_name;                  ///< UTF-8; the key bag's, else the certificate bag's
  std::vector<std::uint8_t> local_key_id;
};

/// A certificate that no key in the file belongs to (typically the chain).
struct Pkcs12Certificate {
  std::vector<std::uint8_t> der;
  std::optional<Botan::X509_Certificate> certificate;  ///< empty when Botan rejects the DER (noted)
  std::string friendly_name;
  std::vector<std::uint8_t> local_key_id;
};

struct Pkcs12Contents {
  std::vector<Pkcs12Entry> entries;
  std::vector<Pkcs12Certificate> extra_certificates;
  bool mac_verified = false;       ///< false only for files without MacData
  std::string mac_algorithm;       ///< e.g. "SHA-256"; empty without MacData
  std::vector<std::string> notes;  ///< skipped bags and similar, safe to log
};

/// Parses a DER/BER PFX. Never throws for bad input; see the failure codes at the top.
core::Result<Pkcs12Contents> parse_pkcs12(std::span<const std::uint8_t> der,
                                          std::string_view password,
                                          const Pkcs12Limits& limits = {});

/// One key + certificate to export. Both are required; the key must match the certificate.
struct Pkcs12ExportEntry {
  const Botan::Private_Key* private_key = nullptr;
  const Botan::X509_Certificate* certificate = nullptr;
  std::string friendly_name;  ///< UTF-8; omitted from the file when empty
};

struct Pkcs12ExportOptions {
  std::uint32_t pbkdf2_iterations = 10'000;    ///< key and certificate bags; at least 2048
  std::uint32_t mac_iterations = 10'000;       ///< at least 2048
  std::vector<Botan::X509_Certificate> chain;  ///< extra certificates, no key, no attributes
};

/// Writes a PFX: one encryptedData with every certificate bag, one data with every shrouded key
/// bag, HMAC-SHA256 MAC. Readable by `openssl pkcs12 -info -nodes` (3.0) and `parse_pkcs12`.
core::Result<std::vector<std::uint8_t>> export_pkcs12(std::span<const Pkcs12ExportEntry> entries,
                                                      std::string_view password,
                                                      Botan::RandomNumberGenerator& rng,
                                                      const Pkcs12ExportOptions& options = {});

}  // namespace smimegw::cms
