// cms/pkcs12 (private): the object identifiers PKCS#12 files use (dotted form).
#pragma once

namespace smimegw::cms::pkcs12_detail::oid {

inline constexpr const char* kData = "1.2.840.113549.1.7.1";
inline constexpr const char* kSignedData = "1.2.840.113549.1.7.2";
inline constexpr const char* kEnvelopedData = "1.2.840.113549.1.7.3";
inline constexpr const char* kEncryptedData = "1.2.840.113549.1.7.6";

inline constexpr const char* kKeyBag = "1.2.840.113549.1.12.10.1.1";
inline constexpr const char* kShroudedKeyBag = "1.2.840.113549.1.12.10.1.2";
inline constexpr const char* kCertBag = "1.2.840.113549.1.12.10.1.3";
inline constexpr const char* kCrlBag = "1.2.840.113549.1.12.10.1.4";
inline constexpr const char* kSecretBag = "1.2.840.113549.1.12.10.1.5";
inline constexpr const char* kSafeContentsBag = "1.2.840.113549.1.12.10.1.6";
inline constexpr const char* kX509Certificate = "1.2.840.113549.1.9.22.1";
inline constexpr const char* kFriendlyName = "1.2.840.113549.1.9.20";
inline constexpr const char* kLocalKeyId = "1.2.840.113549.1.9.21";

inline constexpr const char* kPbes1Prefix = "1.2.840.113549.1.5.";
inline constexpr const char* kPbes2 = "1.2.840.113549.1.5.13";
inline constexpr const char* kPbkdf2 = "1.2.840.113549.1.5.12";
inline constexpr const char* kPbmac1 = "1.2.840.113549.1.5.14";
inline constexpr const char* kHmacSha1 = "1.2.840.113549.2.7";
inline constexpr const char* kHmacSha224 = "1.2.840.113549.2.8";
inline constexpr const char* kHmacSha256 = "1.2.840.113549.2.9";
inline constexpr const char* kHmacSha384 = "1.2.840.113549.2.10";
inline constexpr const char* kHmacSha512 = "1.2.840.113549.2.11";
inline constexpr const char* kAes128Cbc = "2.16.840.1.101.3.4.1.2";
inline constexpr const char* kAes192Cbc = "2.16.840.1.101.3.4.1.22";
inline constexpr const char* kAes256Cbc = "2.16.840.1.101.3.4.1.42";
inline constexpr const char* kDesEde3Cbc = "1.2.840.113549.3.7";
inline constexpr const char* kRc2Cbc = "1.2.840.113549.3.2";

inline constexpr const char* kPkcs12PbePrefix = "1.2.840.113549.1.12.1.";
inline constexpr const char* kPbeShaRc4_128 = "1.2.840.113549.1.12.1.1";
inline constexpr const char* kPbeShaRc4_40 = "1.2.840.113549.1.12.1.2";
inline constexpr const char* kPbeSha3Des3 = "1.2.840.113549.1.12.1.3";
inline constexpr const char* kPbeSha3Des2 = "1.2.840.113549.1.12.1.4";
inline constexpr const char* kPbeShaRc2_128 = "1.2.840.113549.1.12.1.5";
inline constexpr const char* kPbeShaRc2_40 = "1.2.840.113549.1.12.1.6";

inline constexpr const char* kSha1 = "1.3.14.3.2.26";
inline constexpr const char* kSha224 = "2.16.840.1.101.3.4.2.4";
inline constexpr const char* kSha256 = "2.16.840.1.101.3.4.2.1";
inline constexpr const char* kSha384 = "2.16.840.1.101.3.4.2.2";
inline constexpr const char* kSha512 = "2.16.840.1.101.3.4.2.3";

inline constexpr const char* kRsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr const char* kEcPublicKey = "1.2.840.10045.2.1";
inline constexpr const char* kEd25519 = "1.3.101.112";

}  // namespace smimegw::cms::pkcs12_detail::oid
