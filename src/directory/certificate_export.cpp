// directory: PKCS#12 export of a user's current signing and encryption keys to a device
// (certificate_service.hpp, "Export").
#include <botan/auto_rng.h>
#include <botan/data_src.h>
#include <botan/pkcs8.h>

#include "json_text.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/directory/certificate_service.hpp"

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kMinPassword = 8;

// Index of the newest (by notBefore, then id) enabled, date-valid certificate with a key that
// allows `usage`; -1 when none.
int pick(const std::vector<UserCertificate>& certs, CertUsage usage,
         std::chrono::system_clock::time_point now) {
  int best = -1;
  for (int i = 0; i < static_cast<int>(certs.size()); ++i) {
    const auto& c = certs[i];
    bool fits = c.usage == CertUsage::both || c.usage == usage;
    if (!fits || !c.enabled || !c.has_private_key || c.not_before > now || c.not_after <= now)
      continue;
    if (best < 0 || c.not_before > certs[best].not_before ||
        (c.not_before == certs[best].not_before && c.id > certs[best].id))
      best = i;
  }
  return best;
}

struct Material {
  std::unique_ptr<Botan::Private_Key> key;
  Botan::X509_Certificate cert;
  std::string name;
};

core::Result<Material> open_one(const KeyVault& vault, const UserCertificate& c,
                                const WrappedKey& wrapped, const std::string& label) {
  auto pkcs8 = vault.unwrap(wrapped, c.thumbprint);
  if (!pkcs8) return pkcs8.error();
  try {
    Botan::DataSource_Memory src(*pkcs8);
    Material m{Botan::PKCS8::load_key(src), Botan::X509_Certificate(c.der), label};
    return m;
  } catch (const std::exception&) {
    return core::Error::make(
        "vault_format", "the stored key of certificate " + c.thumbprint + " cannot be decoded");
  }
}

core::Result<std::vector<std::uint8_t>> build(const std::vector<Material>& items,
                                              const std::string& password) {
  std::vector<cms::Pkcs12ExportEntry> entries;
  for (const auto& m : items) entries.push_back({m.key.get(), &m.cert, m.name});
  Botan::AutoSeeded_RNG rng;
  return cms::export_pkcs12(entries, password, rng);
}

}  // namespace

asio::awaitable<core::Result<ExportedPkcs12>> CertificateService::export_pkcs12(
    std::string address, std::string password, std::string actor) {
  if (password.size() < kMinPassword)
    co_return core::Error::make("weak_password", "the export password needs at least 8 characters");
  if (!vault_)
    co_return core::Error::make("kek_missing",
                                "no key vault is loaded (keys.kek_file); cannot read keys");
  auto user = co_await users_.find_by_address(address);
  if (!user) co_return user.error();
  if (!*user) co_return core::Error::make("not_found", "no user with address " + address);
  auto certs = co_await certs_.user_certificates((*user)->id);
  if (!certs) co_return certs.error();

  auto now = clock_.now();
  int sign = pick(*certs, CertUsage::sign, now);
  int encrypt = pick(*certs, CertUsage::encrypt, now);
  if (sign < 0 && encrypt < 0)
    co_return core::Error::make("no_keys", (*user)->address +
                                               " has no enabled, currently valid certificate "
                                               "with a private key");
  std::vector<int> chosen;
  if (sign >= 0) chosen.push_back(sign);
  if (encrypt >= 0 && encrypt != sign) chosen.push_back(encrypt);

  std::vector<Material> items;
  std::vector<std::string> thumbs;
  std::optional<core::Error> failure;
  for (std::size_t k = 0; k < chosen.size(); ++k) {
    int idx = chosen[k];
    const auto& c = (*certs)[idx];
    auto wrapped = co_await certs_.wrapped_key(c.id);
    std::string label = (*user)->address + (idx == sign && idx == encrypt ? " S/MIME"
                                            : idx == sign                 ? " signing"
                                                                          : " encryption");
    if (!wrapped) {
      failure = wrapped.error();
      break;
    }
    if (!*wrapped) {
      failure = core::Error::make("no_keys", "the key of " + c.thumbprint + " is gone");
      break;
    }
    auto m = open_one(*vault_, c, **wrapped, label);
    if (!m) {
      failure = m.error();
      break;
    }
    items.push_back(std::move(*m));
    thumbs.push_back(c.thumbprint);
  }
  if (failure) co_return *failure;

  auto pfx = build(items, password);
  if (!pfx) co_return pfx.error();
  auto logged = co_await certs_.append_audit({actor, "user_certificate.export", (*user)->address,
                                              "{\"thumbprints\":" + json::array(thumbs) + "}"});
  if (!logged) co_return logged.error();
  co_return ExportedPkcs12{std::move(*pfx), thumbs};
}

}  // namespace smimegw::directory
