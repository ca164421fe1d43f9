// directory: the organisation's gateway key (gateway_key.hpp).
#include "smimegw/directory/gateway_key.hpp"

#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/kdf.h>
#include <botan/pkcs8.h>
#include <botan/rsa.h>
#include <botan/x509self.h>

#include "smimegw/directory/certificate_service.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kRsaBits = 3072;
constexpr std::uint32_t kValidityDays = 20 * 365;

core::Result<std::shared_ptr<const GatewayKey>> open_row(const KeyVault& vault,
                                                         const GatewayKeyRow& row) {
  auto pkcs8 = vault.unwrap(row.key, row.thumbprint);
  if (!pkcs8) return pkcs8.error();
  try {
    Botan::DataSource_Memory src(*pkcs8);
    auto key = std::shared_ptr<const Botan::Private_Key>(Botan::PKCS8::load_key(src));
    auto opened = std::make_shared<GatewayKey>(
        GatewayKey{Botan::X509_Certificate(row.der), std::move(key), row.thumbprint, row.active});
    derive_seal_key(*opened);
    return std::shared_ptr<const GatewayKey>(std::move(opened));
  } catch (const std::exception&) {
    return core::Error::make("vault_format",
                             "the gateway key " + row.thumbprint + " cannot be decoded");
  }
}

core::Result<std::vector<std::shared_ptr<const GatewayKey>>> open_rows(
    const KeyVault& vault, const std::vector<GatewayKeyRow>& rows) {
  std::vector<std::shared_ptr<const GatewayKey>> out;
  for (const auto& row : rows) {
    auto k = open_row(vault, row);
    if (!k) return k.error();
    out.push_back(std::move(*k));
  }
  return out;
}

struct Made {
  GatewayKeyRow row;
  std::chrono::system_clock::time_point not_after;
};

core::Result<Made> make_key(const KeyVault& vault, const std::string& organisation) {
  try {
    Botan::AutoSeeded_RNG rng;
    Botan::RSA_PrivateKey key(rng, kRsaBits);
    Botan::X509_Cert_Options opts("", kValidityDays * 24u * 3600u);
    opts.common_name =
        (organisation.empty() ? std::string("smimegw") : organisation) + " gateway key";
    if (!organisation.empty()) opts.organization = organisation.substr(0, 64);
    opts.add_constraints(Botan::Key_Constraints(Botan::KEY_ENCIPHERMENT));
    auto cert = Botan::X509::create_self_signed_cert(opts, key, "SHA-256", rng);
    Made m;
    m.row.der = cert.BER_encode();
    m.row.thumbprint = thumbprint_of(m.row.der);
    auto pkcs8 = Botan::PKCS8::BER_encode(key);
    m.row.key = vault.wrap(pkcs8, m.row.thumbprint, rng);
    m.row.active = true;
    m.not_after = std::chrono::system_clock::from_time_t(cert.not_after().time_since_epoch());
    return m;
  } catch (const std::exception& e) {
    return core::Error::make("gateway_key_failed",
                             std::string("cannot create the gateway key: ") + e.what());
  }
}

}  // namespace

void derive_seal_key(GatewayKey& key) {
  static constexpr std::string_view kInfo = "smimegw mailbox seal v1";
  const auto secret = key.key->private_key_bits();
  const auto hkdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
  key.seal_key = hkdf->derive_key(
      32, secret.data(), secret.size(),
      reinterpret_cast<const std::uint8_t*>(key.thumbprint.data()), key.thumbprint.size(),
      reinterpret_cast<const std::uint8_t*>(kInfo.data()), kInfo.size());
  const std::string id = "smimegw-seal:" + key.thumbprint;
  key.seal_key_id.assign(id.begin(), id.end());
}

GatewayKeyService::GatewayKeyService(GatewayKeyStore& store, const KeyVault* vault)
    : store_(store), vault_(vault) {}

asio::awaitable<core::Result<std::vector<std::shared_ptr<const GatewayKey>>>>
GatewayKeyService::all() {
  {
    std::lock_guard lock(mu_);
    if (!cache_.empty()) co_return cache_;
  }
  if (!vault_) co_return core::Error::make("kek_missing", "no key vault is loaded (keys.kek_file)");
  auto rows = co_await store_.list();
  if (!rows) co_return rows.error();
  auto keys = open_rows(*vault_, *rows);
  if (!keys) co_return keys.error();
  std::lock_guard lock(mu_);
  if (!keys->empty() && (*keys)[0]->active) cache_ = *keys;
  co_return *keys;
}

asio::awaitable<core::Result<std::shared_ptr<const GatewayKey>>> GatewayKeyService::current() {
  auto keys = co_await all();
  if (!keys) co_return keys.error();
  if (keys->empty() || !(*keys)[0]->active)
    co_return core::Error::make("not_found",
                                "no gateway key yet (smimegw keys gateway-init creates one)");
  co_return (*keys)[0];
}

asio::awaitable<core::Result<std::shared_ptr<const GatewayKey>>> GatewayKeyService::ensure(
    std::string organisation) {
  auto have = co_await current();
  if (have || have.error().code != "not_found") co_return have;
  auto made = make_key(*vault_, organisation);
  if (!made) co_return made.error();
  auto added = co_await store_.add_if_none(made->row, made->not_after);
  if (!added) co_return added.error();
  co_return co_await current();  // ours, or the one another instance stored first
}

}  // namespace smimegw::directory
