// cms/pkcs12 (private): AuthenticatedSafe → SafeContents → SafeBags, and key/certificate pairing.
#pragma once

#include <memory>
#include <optional>

#include "pkcs12_crypto.hpp"

namespace smimegw::cms::pkcs12_detail {

struct RawKey {
  std::unique_ptr<Botan::Private_Key> key;
  std::string friendly_name;
  Bytes local_key_id;
};

struct RawCert {
  Bytes der;
  std::optional<Botan::X509_Certificate> cert;
  std::string friendly_name;
  Bytes local_key_id;
};

struct BagCollection {
  std::vector<RawKey> keys;
  std::vector<RawCert> certs;
  std::vector<std::string> notes;
  std::size_t bags = 0;
  std::size_t encrypted_elements = 0;  ///< shrouded keys + encryptedData seen
  std::size_t decrypted_ok = 0;        ///< of those, decrypted into well-formed DER
};

struct BagContext {
  const Password& password;
  const Pkcs12Limits& limits;
  WorkBudget& budget;
  /// Probe mode (after a MAC failure): per-element failures are counted, not thrown, so the
  /// caller can tell a wrong password from an altered file.
  bool probe = false;
};

/// Reads the AuthenticatedSafe (the octets of the PFX's authSafe) at nesting depth `depth`.
void read_authenticated_safe(ByteView auth_safe, std::size_t depth, const BagContext& ctx,
                             BagCollection& out);

/// Pairs keys with certificates by localKeyId, then by public key.
Pkcs12Contents pair_bags(BagCollection&& bags);

}  // namespace smimegw::cms::pkcs12_detail
