// directory: the key vault (ARCHITECTURE §2 invariant 4, key custody).
//
// Owns: the key-encryption key (KEK) read from keys.kek_file, and wrapping/unwrapping the PKCS#8
// private keys of user certificates. The KEK never touches the database or a log; the database
// holds only ciphertext plus the id of the KEK that made it.
//
// KEK file: exactly 32 random bytes, a regular file that neither group nor others may read or
// write (mode 0600 or stricter); `smimegw keys init` creates one (O_EXCL: never overwrites).
// KEK id: the first 8 bytes of SHA-256("smimegw-kek-id" 0x00 || KEK), 16 lower-case hex digits;
// it identifies a KEK without revealing it.
//
// Ciphertext format (version 1):
//   0x01 | KEK id (8 bytes) | nonce (12 random bytes) | AES-256-GCM(PKCS#8 DER) | tag (16 bytes)
// AAD = "smimegw-key-vault" 0x00 || 0x01 || KEK id || certificate thumbprint (upper-case hex), so
// a ciphertext moved to another row (another certificate) or to another version fails to open.
//
// Rotation (key_rotation.hpp): every stored key is unwrapped with the old KEK and wrapped with the
// new one in ONE database transaction; any failure leaves every row as it was.
//
// Failure semantics (Error.code), never an exception, never a silent re-key:
//   kek_missing     keys.kek_file does not exist (the message says how to create it)
//   kek_insecure    the file is readable/writable by group or others, or is not a regular file
//   kek_invalid     the file does not hold exactly 32 bytes
//   kek_unreadable  the file cannot be read (permissions, I/O)
//   kek_exists      (create) the file already exists
//   kek_mismatch    a ciphertext was made under another KEK than the one loaded
//   key_tampered    the ciphertext fails authentication (altered, or bound to another row)
//   vault_format    unknown format version or truncated ciphertext
#pragma once

#include <botan/rng.h>
#include <botan/secmem.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_store.hpp"

namespace smimegw::directory {

/// Size of a KEK in bytes (AES-256).
inline constexpr std::size_t kKekBytes = 32;

class KeyVault {
 public:
  /// Reads and checks the KEK file (mode, size); see the codes above.
  static core::Result<KeyVault> load(const std::filesystem::path& kek_file);
  /// A vault on a KEK held in memory (tests, rotation). `kek` must be 32 bytes.
  static core::Result<KeyVault> from_bytes(std::span<const std::uint8_t> kek);
  /// Creates `path` with 32 random bytes, mode 0600, refusing to overwrite (kek_exists). Missing
  /// parent directories are created with mode 0700. Returns the new KEK's id.
  static core::Result<std::string> create_kek_file(const std::filesystem::path& path,
                                                   Botan::RandomNumberGenerator& rng);

  /// 16 lower-case hex digits identifying the KEK.
  const std::string& kek_id() const { return id_hex_; }

  /// Wraps a PKCS#8 DER private key for the certificate with `thumbprint`.
  WrappedKey wrap(std::span<const std::uint8_t> pkcs8, std::string_view thumbprint,
                  Botan::RandomNumberGenerator& rng) const;
  /// The PKCS#8 DER back; kek_mismatch / key_tampered / vault_format otherwise.
  core::Result<Botan::secure_vector<std::uint8_t>> unwrap(const WrappedKey& wrapped,
                                                          std::string_view thumbprint) const;

 private:
  KeyVault() = default;
  Botan::secure_vector<std::uint8_t> kek_;
  std::array<std::uint8_t, 8> id_{};
  std::string id_hex_;
};

/// The KEK id of `kek` (see the header comment).
std::string kek_id_of(std::span<const std::uint8_t> kek);

}  // namespace smimegw::directory
