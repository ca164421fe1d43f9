// directory: KeyRing — a user's own certificates and keys, opened from the vault (key_ring.hpp).
#include "smimegw/directory/key_ring.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include "smimegw/cms/loaded_certificate.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

bool may(const UserCertificate& c, CertUsage usage) {
  return c.usage == CertUsage::both || c.usage == usage;
}

// The newest enabled, date-valid signing certificate with a key; -1 when none.
int pick_signing(const std::vector<UserCertificate>& certs, core::Clock::time_point now) {
  int best = -1;
  for (int i = 0; i < static_cast<int>(certs.size()); ++i) {
    const auto& c = certs[i];
    if (!may(c, CertUsage::sign) || !c.enabled || !c.has_private_key || c.not_before > now ||
        c.not_after <= now)
      continue;
    if (best < 0 || c.not_before > certs[best].not_before ||
        (c.not_before == certs[best].not_before && c.id > certs[best].id))
      best = i;
  }
  return best;
}

}  // namespace

KeyRing::KeyRing(UserStore& users, CertificateStore& certificates, const KeyVault* vault,
                 const core::Clock& clock)
    : users_(users), certs_(certificates), vault_(vault), clock_(clock) {}

core::Result<std::shared_ptr<const Botan::Private_Key>> KeyRing::open(const UserCertificate& c,
                                                                      const WrappedKey& w) {
  {
    std::lock_guard lock(mu_);
    auto it = keys_.find(c.thumbprint);
    if (it != keys_.end()) return it->second;
  }
  // A key wrapped under another KEK than the loaded one: `keys rotate` ran while this process
  // keeps the old KEK (restart pending), or keys.kek_file is wrong. That is the gateway's state,
  // not the message's: mail that needs the key waits (temporary) instead of bouncing, or of being
  // delivered undecrypted, until the gateway runs with the right KEK.
  if (w.kek_id != vault_->kek_id())
    return core::Error::transient(
        "kek_mismatch", "the key of certificate " + c.thumbprint + " is wrapped under KEK " +
                            w.kek_id + ", this process holds KEK " + vault_->kek_id() +
                            " (restart after keys rotate, or check keys.kek_file)");
  auto pkcs8 = vault_->unwrap(w, c.thumbprint);
  if (!pkcs8) return pkcs8.error();
  std::shared_ptr<const Botan::Private_Key> key;
  try {
    Botan::DataSource_Memory src(*pkcs8);
    key = std::shared_ptr<const Botan::Private_Key>(Botan::PKCS8::load_key(src));
  } catch (const std::exception&) {
    return core::Error::make(
        "vault_format", "the stored key of certificate " + c.thumbprint + " cannot be decoded");
  }
  std::lock_guard lock(mu_);
  keys_.emplace(c.thumbprint, key);
  return key;
}

std::optional<KeyMaterial> KeyRing::opened_signing(const std::string& thumbprint) {
  std::lock_guard lock(mu_);
  auto it = signing_.find(thumbprint);
  if (it == signing_.end()) return std::nullopt;
  return it->second;
}

asio::awaitable<core::Result<KeyMaterial>> KeyRing::signing(std::string address) {
  if (!vault_) co_return core::Error::make("kek_missing", "no key vault is loaded (keys.kek_file)");
  auto user = co_await users_.find_by_address(address);
  if (!user) co_return user.error();
  if (!*user) co_return core::Error::make("not_found", "no user owns " + address);
  auto certs = co_await certs_.user_certificates((*user)->id);
  if (!certs) co_return certs.error();
  int i = pick_signing(*certs, clock_.now());
  if (i < 0)
    co_return core::Error::make("no_signing_key",
                                address +
                                    " has no enabled, currently valid signing certificate "
                                    "with a private key");
  UserCertificate chosen = (*certs)[static_cast<std::size_t>(i)];
  // A key opened before is not read again (one database round trip less per message).
  core::Result<std::optional<WrappedKey>> wrapped = std::optional<WrappedKey>(WrappedKey{});
  bool opened = false;
  {
    std::lock_guard lock(mu_);
    opened = keys_.count(chosen.thumbprint) > 0;
  }
  if (!opened) wrapped = co_await certs_.wrapped_key(chosen.id);
  if (!wrapped) co_return wrapped.error();
  if (!*wrapped)
    co_return core::Error::make("no_signing_key", "the key of " + chosen.thumbprint + " is gone");
  auto key = open(chosen, **wrapped);
  if (!key) co_return key.error();
  try {
    Botan::X509_Certificate cert = cms::decoded_certificate(chosen.der);
    KeyMaterial km{std::move(chosen), std::move(cert), std::move(*key)};
    {
      std::lock_guard lock(mu_);
      if (signing_.size() >= 1024) signing_.clear();
      signing_.insert_or_assign(km.record.thumbprint, km);
    }
    co_return km;
  } catch (const std::exception&) {
    co_return core::Error::make("bad_certificate", "stored certificate cannot be decoded");
  }
}

asio::awaitable<core::Result<std::vector<KeyMaterial>>> KeyRing::decryption(std::string address) {
  if (!vault_) co_return core::Error::make("kek_missing", "no key vault is loaded (keys.kek_file)");
  auto user = co_await users_.find_by_address(address);
  if (!user) co_return user.error();
  if (!*user) co_return core::Error::make("not_found", "no user owns " + address);
  auto certs = co_await certs_.user_certificates((*user)->id);
  if (!certs) co_return certs.error();
  std::vector<UserCertificate> usable;
  for (const auto& c : *certs)
    if (may(c, CertUsage::encrypt) && c.has_private_key) usable.push_back(c);
  std::vector<core::Result<std::optional<WrappedKey>>> wrapped;
  for (const auto& c : usable) {
    // open() answers from its cache without looking at the wrapped key of a key opened before
    core::Result<std::optional<WrappedKey>> w = std::optional<WrappedKey>(WrappedKey{});
    bool opened = false;
    {
      std::lock_guard lock(mu_);
      opened = keys_.count(c.thumbprint) > 0;
    }
    if (!opened) w = co_await certs_.wrapped_key(c.id);
    wrapped.push_back(std::move(w));
  }
  co_return open_all(address, usable, wrapped);
}

// Plain function: loops with early returns stay out of coroutines (docs/architecture.md).
core::Result<std::vector<KeyMaterial>> KeyRing::open_all(
    const std::string& address, const std::vector<UserCertificate>& certs,
    const std::vector<core::Result<std::optional<WrappedKey>>>& wrapped) {
  std::vector<KeyMaterial> out;
  for (std::size_t i = 0; i < certs.size(); ++i) {
    if (!wrapped[i]) return wrapped[i].error();
    if (!*wrapped[i]) continue;
    auto key = open(certs[i], **wrapped[i]);
    if (!key) return key.error();
    try {
      out.push_back({certs[i], cms::decoded_certificate(certs[i].der), std::move(*key)});
    } catch (const std::exception&) {
      // a certificate Botan cannot load is skipped (it could not have been imported anyway)
    }
  }
  if (out.empty())
    return core::Error::make("no_decryption_key",
                             address + " has no certificate with a private key for decryption");
  return out;
}

}  // namespace smimegw::directory
