// cms: algorithm identifiers and names used by SignedData/EnvelopedData (RFC 5652, 3370, 4055,
// 5753, 5084, 8419). The OIDs are the wire contract; the enums are what callers choose.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smimegw::cms {

enum class DigestAlgorithm { sha1, sha224, sha256, sha384, sha512 };
enum class ContentCipher {
  aes128_cbc,
  aes192_cbc,
  aes256_cbc,
  aes128_gcm,
  aes192_gcm,
  aes256_gcm,
  des3_cbc /* decrypt only */
};
enum class KeyTransport { rsa_pkcs1v15, rsa_oaep_sha1, rsa_oaep_sha256 };
enum class KeyWrap { aes128, aes192, aes256 };
enum class SignerIdKind { issuer_serial, subject_key_id };

/// Botan hash name ("SHA-256").
std::string_view botan_name(DigestAlgorithm d);
std::string_view oid_of(DigestAlgorithm d);
std::optional<DigestAlgorithm> digest_from_oid(std::string_view oid);
std::optional<DigestAlgorithm> digest_from_botan_name(std::string_view name);
/// RFC 8551 §3.5.3.2 micalg value ("sha-256").
std::string_view micalg(DigestAlgorithm d);

std::string_view oid_of(ContentCipher c);
std::optional<ContentCipher> cipher_from_oid(std::string_view oid);
bool is_aead(ContentCipher c);
std::size_t key_length(ContentCipher c);
/// Botan mode name without padding/tag ("AES-256/CBC", "AES-128/GCM").
std::string_view botan_name(ContentCipher c);
std::string_view display_name(ContentCipher c);  ///< "aes-256-cbc"

namespace oid {
inline constexpr std::string_view kData = "1.2.840.113549.1.7.1";
inline constexpr std::string_view kSignedData = "1.2.840.113549.1.7.2";
inline constexpr std::string_view kEnvelopedData = "1.2.840.113549.1.7.3";
inline constexpr std::string_view kAuthEnvelopedData = "1.2.840.113549.1.9.16.1.23";
inline constexpr std::string_view kContentType = "1.2.840.113549.1.9.3";
inline constexpr std::string_view kMessageDigest = "1.2.840.113549.1.9.4";
inline constexpr std::string_view kSigningTime = "1.2.840.113549.1.9.5";
inline constexpr std::string_view kSmimeCapabilities = "1.2.840.113549.1.9.15";
inline constexpr std::string_view kRsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr std::string_view kRsaOaep = "1.2.840.113549.1.1.7";
inline constexpr std::string_view kMgf1 = "1.2.840.113549.1.1.8";
inline constexpr std::string_view kPSpecified = "1.2.840.113549.1.1.9";
inline constexpr std::string_view kRsaPss = "1.2.840.113549.1.1.10";
inline constexpr std::string_view kSha1WithRsa = "1.2.840.113549.1.1.5";
inline constexpr std::string_view kSha224WithRsa = "1.2.840.113549.1.1.14";
inline constexpr std::string_view kSha256WithRsa = "1.2.840.113549.1.1.11";
inline constexpr std::string_view kSha384WithRsa = "1.2.840.113549.1.1.12";
inline constexpr std::string_view kSha512WithRsa = "1.2.840.113549.1.1.13";
inline constexpr std::string_view kEcPublicKey = "1.2.840.10045.2.1";
inline constexpr std::string_view kEcdsaSha1 = "1.2.840.10045.4.1";
inline constexpr std::string_view kEcdsaSha224 = "1.2.840.10045.4.3.1";
inline constexpr std::string_view kEcdsaSha256 = "1.2.840.10045.4.3.2";
inline constexpr std::string_view kEcdsaSha384 = "1.2.840.10045.4.3.3";
inline constexpr std::string_view kEcdsaSha512 = "1.2.840.10045.4.3.4";
inline constexpr std::string_view kEd25519 = "1.3.101.112";
inline constexpr std::string_view kP256 = "1.2.840.10045.3.1.7";
inline constexpr std::string_view kP384 = "1.3.132.0.34";
inline constexpr std::string_view kEcdhSha1Kdf = "1.3.133.16.840.63.0.2";
inline constexpr std::string_view kEcdhSha224Kdf = "1.3.132.1.11.0";
inline constexpr std::string_view kEcdhSha256Kdf = "1.3.132.1.11.1";
inline constexpr std::string_view kEcdhSha384Kdf = "1.3.132.1.11.2";
inline constexpr std::string_view kEcdhSha512Kdf = "1.3.132.1.11.3";
inline constexpr std::string_view kAes128Wrap = "2.16.840.1.101.3.4.1.5";
inline constexpr std::string_view kAes192Wrap = "2.16.840.1.101.3.4.1.25";
inline constexpr std::string_view kAes256Wrap = "2.16.840.1.101.3.4.1.45";
}  // namespace oid

}  // namespace smimegw::cms
