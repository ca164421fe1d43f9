// directory: the organisation's gateway key (ARCHITECTURE §5, label protection).
//
// Every message with a protected label is also encrypted to this key, and the mailbox keeps
// protected and encrypted mail sealed to it, so the gateway can decrypt for authorised users on
// fetch (the role a rights-management service plays). The key is an RSA-3072 key with a
// self-signed certificate (CN "<organisation> gateway key"); its private key is wrapped by the
// key vault exactly like a user's key (table gateway_keys, migration 0011) and is rotated with
// the user keys by `smimegw keys rotate`.
//
// One key is active (used to encrypt); retired keys stay so that older mail still opens.
// `smimegw keys gateway-init` creates the first one, `serve` creates it when missing (the first
// instance wins; others load the winner's key).
//
// Error codes: not_found (no gateway key yet), kek_missing (no vault loaded), the vault's codes
// (kek_mismatch, key_tampered, vault_format), db_unavailable / db_error.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"
#include "smimegw/directory/gateway_key_store.hpp"
#include "smimegw/directory/key_vault.hpp"

namespace smimegw::directory {

/// An opened gateway key.
struct GatewayKey {
  Botan::X509_Certificate certificate;
  std::shared_ptr<const Botan::Private_Key> key;
  std::string thumbprint;
  bool active = false;
  /// The mailbox seal key: AES-256, HKDF-SHA-256 of the private key (salt: the thumbprint, info:
  /// "smimegw mailbox seal v1"), so it lives and rotates with the gateway key and is never stored.
  /// Sealed mailbox copies carry a KEKRecipientInfo for it (keyIdentifier `seal_key_id`, the
  /// ASCII "smimegw-seal:" + thumbprint): opening one on fetch is an AES key unwrap, not an RSA
  /// decryption.
  Botan::secure_vector<std::uint8_t> seal_key;
  std::vector<std::uint8_t> seal_key_id;
};

/// The seal key and its identifier for a gateway private key (see GatewayKey).
void derive_seal_key(GatewayKey& key);

class GatewayKeyService {
 public:
  /// `vault` may be null (no KEK configured): every call then fails with kek_missing.
  GatewayKeyService(GatewayKeyStore& store, const KeyVault* vault);

  /// The active key (loaded once, then cached). not_found when there is none.
  boost::asio::awaitable<core::Result<std::shared_ptr<const GatewayKey>>> current();
  /// Every key, active first (to decrypt mail sealed under a retired key).
  boost::asio::awaitable<core::Result<std::vector<std::shared_ptr<const GatewayKey>>>> all();
  /// Creates the active key when none exists and returns the active key (created or not).
  boost::asio::awaitable<core::Result<std::shared_ptr<const GatewayKey>>> ensure(
      std::string organisation);

 private:
  GatewayKeyStore& store_;
  const KeyVault* vault_;
  std::mutex mu_;
  std::vector<std::shared_ptr<const GatewayKey>> cache_;  ///< empty: not loaded
};

}  // namespace smimegw::directory
