// cms: EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083/5084) create and decrypt.
//
// Recipients: RSA key transport (PKCS#1 v1.5, OAEP SHA-1/SHA-256, RFC 3560), ECDH
// ephemeral-static key agreement on P-256/P-384 (RFC 5753: X9.63 KDF with SHA-1/224/256/384/512,
// AES key wrap RFC 3394), and previously distributed symmetric keys (KEKRecipientInfo, RFC 5652
// §6.2.3: the CEK wrapped with AES key wrap under a 16/24/32-byte KEK named by an identifier).
// Content: AES-128/192/256-CBC (EnvelopedData), AES-128/192/256-GCM (AuthEnvelopedData, chosen
// automatically by the cipher), 3DES-CBC decrypt only. RSA PKCS#1 v1.5 decryption is constant-time
// (Botan decrypt_or_random): a wrong key yields a random CEK, so the failure shows up as
// decrypt_failed on the content, never as a padding error. Errors: malformed, truncated,
// limit_exceeded, unsupported_content_type, unsupported_algorithm, no_matching_recipient,
// decrypt_failed, bad_tag, key_mismatch, invalid_argument.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/secmem.h>
#include <botan/x509cert.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "smimegw/cms/algorithms.hpp"
#include "smimegw/cms/certificate_id.hpp"
#include "smimegw/cms/limits.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::cms {

struct RecipientSpec {
  Botan::X509_Certificate certificate;  ///< RSA or EC (P-256/P-384) public key
  SignerIdKind rid = SignerIdKind::issuer_serial;
  KeyTransport rsa = KeyTransport::rsa_pkcs1v15;  ///< RSA recipients
  DigestAlgorithm kdf = DigestAlgorithm::sha256;  ///< EC recipients: X9.63 KDF hash
  KeyWrap wrap = KeyWrap::aes256;                 ///< EC recipients: key wrap
};

/// A KEKRecipientInfo recipient: the CEK is wrapped (RFC 3394) under `kek` (16, 24 or 32 bytes:
/// id-aes128-wrap, id-aes192-wrap, id-aes256-wrap); `key_id` is the KEKIdentifier's keyIdentifier.
struct KekRecipient {
  std::vector<std::uint8_t> key_id;
  Botan::secure_vector<std::uint8_t> kek;
};

struct EncryptOptions {
  ContentCipher cipher = ContentCipher::aes256_cbc;  ///< *_gcm → AuthEnvelopedData
  /// Symmetric-key recipients, after the certificate recipients (either list may be empty, not
  /// both).
  std::vector<KekRecipient> kek_recipients;
  std::string content_type = "1.2.840.113549.1.7.1";
  /// GCM only: add authAttrs (contentType), authenticated as AAD. Always on for non-data content.
  bool auth_attributes = false;
};

/// DER ContentInfo(EnvelopedData | AuthEnvelopedData).
core::Result<std::vector<std::uint8_t>> encrypt(std::span<const std::uint8_t> content,
                                                const std::vector<RecipientSpec>& recipients,
                                                const EncryptOptions& options,
                                                Botan::RandomNumberGenerator& rng);

struct DecryptKey {
  DecryptKey(const Botan::X509_Certificate& cert, const Botan::Private_Key* k);
  /// For certificates Botan refuses to load (e.g. notAfter 99991231235959Z): see certificate_id().
  DecryptKey(CertificateId id, const Botan::Private_Key* k) : certificate(std::move(id)), key(k) {}
  /// A symmetric key-encryption key: opens the KEKRecipientInfo whose keyIdentifier is `id`.
  DecryptKey(std::vector<std::uint8_t> id, const Botan::secure_vector<std::uint8_t>* k)
      : kek_id(std::move(id)), kek(k) {}
  CertificateId certificate;                ///< used to match the RecipientInfo
  const Botan::Private_Key* key = nullptr;  ///< RSA, or EC (ECDSA- or ECDH-typed; rebuilt as ECDH)
  std::vector<std::uint8_t> kek_id;         ///< KEKRecipientInfo: the keyIdentifier
  const Botan::secure_vector<std::uint8_t>* kek = nullptr;  ///< … and the KEK (not owned)
};

struct DecryptOptions {
  Limits limits;
  bool allow_3des = true;
};

struct Decrypted {
  std::string content_type;
  std::vector<std::uint8_t> content;
  ContentCipher cipher = ContentCipher::aes256_cbc;
  bool authenticated = false;  ///< AuthEnvelopedData (GCM tag checked)
  std::string recipient_kind;  ///< "ktri-rsa-pkcs1v15", "ktri-rsa-oaep", "kari-ecdh", "kekri"
};

core::Result<Decrypted> decrypt(std::span<const std::uint8_t> cms, const DecryptKey& key,
                                Botan::RandomNumberGenerator& rng,
                                const DecryptOptions& options = {});

}  // namespace smimegw::cms
