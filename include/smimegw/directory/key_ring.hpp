// directory: a user's own key material, opened from the key vault for transport.
//
//  - signing(address): the newest enabled, date-valid certificate of the user that may sign and
//    has a private key, with its key, for the outbound signing step. The caller validates it with
//    the trust service (the key ring only reads the store).
//  - decryption(address): every certificate of the user that may encrypt and has a private key,
//    expired or not (old mail must still open), with its key; for inbound decryption.
// `address` is any of the user's addresses (primary or proxy), lower-case.
//
// Opened keys are cached per thumbprint (a key is unwrapped once per process).
// Error codes: no_signing_key / no_decryption_key (nothing usable), not_found (no such user),
// kek_missing (no vault), the vault's codes, db_unavailable / db_error.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <boost/asio/awaitable.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/clock.hpp"
#include "smimegw/core/result.hpp"
#include "smimegw/directory/certificate_store.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/directory/user_store.hpp"

namespace smimegw::directory {

struct KeyMaterial {
  UserCertificate record;  ///< the stored row (usage, validity, source)
  Botan::X509_Certificate certificate;
  std::shared_ptr<const Botan::Private_Key> key;
};

class KeyRing {
 public:
  /// `vault` may be null (every call then fails with kek_missing).
  KeyRing(UserStore& users, CertificateStore& certificates, const KeyVault* vault,
          const core::Clock& clock);

  boost::asio::awaitable<core::Result<KeyMaterial>> signing(std::string address);
  /// The key material signing() returned before for the certificate with `thumbprint`, without
  /// reading the store (the outbound steps sign with the certificate chosen before 250); nullopt
  /// when this process has not opened it yet.
  std::optional<KeyMaterial> opened_signing(const std::string& thumbprint);
  boost::asio::awaitable<core::Result<std::vector<KeyMaterial>>> decryption(std::string address);

 private:
  core::Result<std::shared_ptr<const Botan::Private_Key>> open(const UserCertificate& c,
                                                               const WrappedKey& w);
  core::Result<std::vector<KeyMaterial>> open_all(
      const std::string& address, const std::vector<UserCertificate>& certs,
      const std::vector<core::Result<std::optional<WrappedKey>>>& wrapped);
  UserStore& users_;
  CertificateStore& certs_;
  const KeyVault* vault_;
  const core::Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Botan::Private_Key>> keys_;  ///< by thumbprint
  std::map<std::string, KeyMaterial> signing_;  ///< what signing() returned, by thumbprint
};

}  // namespace smimegw::directory
