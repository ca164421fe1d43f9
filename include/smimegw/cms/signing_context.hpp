// cms: a reusable SignedData signer, built once per key + certificate (RFC 5652 §5.3–5.5).
//
// Why: Botan 2's RSA private operation computes Montgomery parameters and a fresh blinding pair
// when a PK_Signer is constructed, which costs about as much as a signature. A SigningContext
// checks the key and scheme, encodes everything constant in a SignerInfo (sid, algorithms,
// certificates, smimeCapabilities) and keeps a small pool of PK_Signers, each with its own RNG,
// so signing a message costs one hash and one private-key operation.
//
// Thread safety: every const member may be called from several threads at once; each call takes
// a PK_Signer from the pool (or builds one when all are busy) and returns it afterwards. The
// output is the same DER that the one-shot cms::sign() writes (which is a wrapper over this).
// Failure semantics: create() fails with invalid_argument (no key) or key_mismatch (key type not
// RSA/ECDSA/Ed25519, SKI requested but absent); sign() fails only on unexpected library errors
// (internal).
#pragma once

#include <botan/rng.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "smimegw/cms/signed_data.hpp"
#include "smimegw/core/result.hpp"

namespace smimegw::cms {

class SigningContext {
 public:
  /// Prepares signing with `spec`. `spec.key` is borrowed and must outlive the context.
  /// `max_idle` bounds how many PK_Signers the pool keeps between calls (≈ concurrent callers).
  static core::Result<std::shared_ptr<const SigningContext>> create(SignerSpec spec,
                                                                    std::size_t max_idle = 4);
  ~SigningContext();
  SigningContext(const SigningContext&) = delete;
  SigningContext& operator=(const SigningContext&) = delete;

  const SignerSpec& spec() const { return spec_; }
  /// The digest actually used (SHA-512 for Ed25519, RFC 8419; else spec().digest).
  DigestAlgorithm digest() const { return digest_; }

  /// DER ContentInfo(SignedData) with this one signer; same contract as cms::sign().
  core::Result<std::vector<std::uint8_t>> sign(std::span<const std::uint8_t> content,
                                               const SignOptions& options) const;

  /// The encoded SignerInfo over `content` (internal building block of cms::sign).
  core::Result<std::vector<std::uint8_t>> signer_info(std::span<const std::uint8_t> content,
                                                      const SignOptions& options) const;

  /// Constant encodings for the SignedData around the SignerInfos.
  const std::vector<std::uint8_t>& digest_algorithm_der() const { return digest_alg_der_; }
  const std::vector<std::vector<std::uint8_t>>& certificates_der() const { return certs_der_; }
  bool uses_ski() const { return spec_.sid == SignerIdKind::subject_key_id; }

 private:
  struct Slot;
  SigningContext();
  std::unique_ptr<Slot> acquire() const;
  void release(std::unique_ptr<Slot> slot) const;
  std::vector<std::uint8_t> signature(std::span<const std::uint8_t> tbs) const;

  SignerSpec spec_;
  DigestAlgorithm digest_ = DigestAlgorithm::sha256;
  std::string emsa_;
  int format_ = 0;  // Botan::Signature_Format
  std::vector<std::uint8_t> sid_der_, digest_alg_der_, sig_alg_der_, capabilities_der_;
  std::vector<std::vector<std::uint8_t>> certs_der_;
  std::size_t max_idle_ = 4;
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Slot>> idle_;
};

/// DER ContentInfo(SignedData) with one SignerInfo per context, like the one-shot cms::sign()
/// but reusing the prepared contexts. Thread-safe. Errors: invalid_argument (no signers), internal.
core::Result<std::vector<std::uint8_t>> sign(
    std::span<const std::uint8_t> content,
    const std::vector<std::shared_ptr<const SigningContext>>& signers, const SignOptions& options);

}  // namespace smimegw::cms
