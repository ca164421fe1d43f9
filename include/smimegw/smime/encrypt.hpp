// smime: encrypting a whole message as application/pkcs7-mime (RFC 8551 §3.3), smime-type
// enveloped-data (CBC) or authEnveloped-data (GCM), and sign-then-encrypt.
#pragma once

#include <botan/rng.h>
#include <botan/x509cert.h>

#include <string>
#include <string_view>
#include <vector>

#include "smimegw/cms/algorithms.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/smime/sign.hpp"

namespace smimegw::smime {

struct EncryptOptions {
  cms::ContentCipher cipher = cms::ContentCipher::aes256_cbc;  ///< *_gcm → authEnveloped-data
  /// RSA recipients: OAEP (SHA-256, MGF1-SHA-256) instead of PKCS#1 v1.5.
  bool rsa_oaep = false;
  /// Symmetric-key recipients (KEKRecipientInfo) besides the certificates.
  std::vector<cms::KekRecipient> kek_recipients;
};

/// Encrypts a content entity for every certificate in `recipients` (RSA or EC P-256/P-384):
/// returns the application/pkcs7-mime entity. Errors: invalid_argument (no recipients), the cms
/// encrypt codes.
core::Result<std::string> encrypt_entity(std::string_view entity,
                                         const std::vector<Botan::X509_Certificate>& recipients,
                                         const EncryptOptions& options,
                                         Botan::RandomNumberGenerator& rng);

/// Encrypts a whole message: outer fields stay in the clear, the content entity is enveloped.
core::Result<std::string> encrypt(std::string_view message,
                                  const std::vector<Botan::X509_Certificate>& recipients,
                                  const EncryptOptions& options, Botan::RandomNumberGenerator& rng);

/// Clear-signs the content entity, then envelopes the multipart/signed entity (RFC 8551 §3.6).
core::Result<std::string> sign_and_encrypt(std::string_view message, const Signer& signer,
                                           const SignOptions& sign_options,
                                           const std::vector<Botan::X509_Certificate>& recipients,
                                           const EncryptOptions& options,
                                           Botan::RandomNumberGenerator& rng);
/// The same with a prepared signing context (smime::prepare), reused across messages.
core::Result<std::string> sign_and_encrypt(std::string_view message,
                                           const cms::SigningContext& signer,
                                           const SignOptions& sign_options,
                                           const std::vector<Botan::X509_Certificate>& recipients,
                                           const EncryptOptions& options,
                                           Botan::RandomNumberGenerator& rng);

}  // namespace smimegw::smime
