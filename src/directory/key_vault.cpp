// directory: AES-256-GCM wrapping of private keys (key_vault.hpp).
#include "smimegw/directory/key_vault.hpp"

#include <botan/aead.h>
#include <botan/hash.h>
#include <botan/hex.h>

#include <algorithm>

namespace smimegw::directory {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr std::size_t kHeaderBytes = 1 + 8 + kNonceBytes;
constexpr std::string_view kAadLabel{"smimegw-key-vault\0", 18};
constexpr std::string_view kIdLabel{"smimegw-kek-id\0", 15};

std::vector<std::uint8_t> aad(std::span<const std::uint8_t> id, std::string_view thumbprint) {
  std::vector<std::uint8_t> a(kAadLabel.begin(), kAadLabel.end());
  a.push_back(kVersion);
  a.insert(a.end(), id.begin(), id.end());
  a.insert(a.end(), thumbprint.begin(), thumbprint.end());
  return a;
}

std::array<std::uint8_t, 8> raw_id(std::span<const std::uint8_t> kek) {
  auto h = Botan::HashFunction::create_or_throw("SHA-256");
  h->update(reinterpret_cast<const std::uint8_t*>(kIdLabel.data()), kIdLabel.size());
  h->update(kek.data(), kek.size());
  auto d = h->final();
  std::array<std::uint8_t, 8> id{};
  std::copy_n(d.begin(), id.size(), id.begin());
  return id;
}

}  // namespace

std::string kek_id_of(std::span<const std::uint8_t> kek) {
  auto id = raw_id(kek);
  return Botan::hex_encode(id.data(), id.size(), false);
}

core::Result<KeyVault> KeyVault::from_bytes(std::span<const std::uint8_t> kek) {
  if (kek.size() != kKekBytes)
    return core::Error::make("kek_invalid",
                             "a KEK is exactly 32 bytes, got " + std::to_string(kek.size()));
  KeyVault v;
  v.kek_.assign(kek.begin(), kek.end());
  v.id_ = raw_id(kek);
  v.id_hex_ = Botan::hex_encode(v.id_.data(), v.id_.size(), false);
  return v;
}

WrappedKey KeyVault::wrap(std::span<const std::uint8_t> pkcs8, std::string_view thumbprint,
                          Botan::RandomNumberGenerator& rng) const {
  std::vector<std::uint8_t> out;
  out.reserve(kHeaderBytes + pkcs8.size() + kTagBytes);
  out.push_back(kVersion);
  out.insert(out.end(), id_.begin(), id_.end());
  auto nonce = rng.random_vec(kNonceBytes);
  out.insert(out.end(), nonce.begin(), nonce.end());

  auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::ENCRYPTION);
  gcm->set_key(kek_);
  gcm->set_associated_data_vec(aad(id_, thumbprint));
  gcm->start(nonce);
  Botan::secure_vector<std::uint8_t> buf(pkcs8.begin(), pkcs8.end());
  gcm->finish(buf);
  out.insert(out.end(), buf.begin(), buf.end());
  return {std::move(out), id_hex_};
}

core::Result<Botan::secure_vector<std::uint8_t>> KeyVault::unwrap(
    const WrappedKey& wrapped, std::string_view thumbprint) const {
  const auto& c = wrapped.ciphertext;
  if (wrapped.kek_id != id_hex_)
    return core::Error::make("kek_mismatch", "the key of certificate " + std::string(thumbprint) +
                                                 " was wrapped under KEK " + wrapped.kek_id +
                                                 ", but the loaded KEK is " + id_hex_ +
                                                 " (wrong keys.kek_file?)");
  if (c.size() < kHeaderBytes + kTagBytes || c[0] != kVersion)
    return core::Error::make("vault_format", "the wrapped key of certificate " +
                                                 std::string(thumbprint) +
                                                 " has an unknown format or is truncated");
  if (!std::equal(id_.begin(), id_.end(), c.begin() + 1))
    return core::Error::make("kek_mismatch", "the wrapped key of certificate " +
                                                 std::string(thumbprint) +
                                                 " names another KEK than its kek_id column");
  auto gcm = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", Botan::DECRYPTION);
  gcm->set_key(kek_);
  gcm->set_associated_data_vec(aad(id_, thumbprint));
  gcm->start(c.data() + 9, kNonceBytes);
  Botan::secure_vector<std::uint8_t> buf(c.begin() + kHeaderBytes, c.end());
  try {
    gcm->finish(buf);
  } catch (const Botan::Exception&) {
    return core::Error::make("key_tampered", "the wrapped key of certificate " +
                                                 std::string(thumbprint) +
                                                 " fails authentication (altered, or copied from "
                                                 "another certificate's row)");
  }
  return buf;
}

}  // namespace smimegw::directory
