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

// The certificates to export (indexes into `certs`) and their friendly names.
struct Choice {
  std::vector<std::size_t> index;
  std::vector<std::string> label;
};

core::Result<Choice> choose(const std::string& address, const std::vector<UserCertificate>& certs,
                            std::chrono::system_clock::time_point now) {
  int sign = pick(certs, CertUsage::sign, now);
  int encrypt = pick(certs, CertUsage::encrypt, now);
  if (sign < 0 && encrypt < 0)
    return core::Error::make("no_keys", address +
                                            " has no enabled, currently valid certificate "
                                            "with a private key");
  Choice c;
  if (sign >= 0) {
    c.index.push_back(static_cast<std::size_t>(sign));
    c.label.push_back(address + (sign == encrypt ? " S/MIME" : " signing"));
  }
  if (encrypt >= 0 && encrypt != sign) {
    c.index.push_back(static_cast<std::size_t>(encrypt));
    c.label.push_back(address + " encryption");
  }
  return c;
}

// Unwraps the chosen keys and builds the PKCS#12. Plain function on purpose: g++ 12 mishandles
// loops with early exits inside coroutines (docs/architecture.md).
core::Result<ExportedPkcs12> assemble(
    const KeyVault& vault, const std::vector<UserCertificate>& certs, const Choice& choice,
    const std::vector<core::Result<std::optional<WrappedKey>>>& keys, const std::string& password) {
  std::vector<Material> items;
  std::vector<std::string> thumbs;
  for (std::size_t k = 0; k < choice.index.size(); ++k) {
    const auto& c = certs[choice.index[k]];
    if (!keys[k]) return keys[k].error();
    if (!*keys[k]) return core::Error::make("no_keys", "the key of " + c.thumbprint + " is gone");
    auto m = open_one(vault, c, **keys[k], choice.label[k]);
    if (!m) return m.error();
    items.push_back(std::move(*m));
    thumbs.push_back(c.thumbprint);
  }
  auto pfx = build(items, password);
  if (!pfx) return pfx.error();
  return ExportedPkcs12{std::move(*pfx), std::move(thumbs)};
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
  const std::string owner = (*user)->address;
  auto certs = co_await certs_.user_certificates((*user)->id);
  if (!certs) co_return certs.error();
  auto choice = choose(owner, *certs, clock_.now());
  if (!choice) co_return choice.error();

  std::vector<core::Result<std::optional<WrappedKey>>> keys;
  for (std::size_t k = 0; k < choice->index.size(); ++k) {
    auto wrapped = co_await certs_.wrapped_key((*certs)[choice->index[k]].id);
    keys.push_back(std::move(wrapped));
  }
  auto out = assemble(*vault_, *certs, *choice, keys, password);
  if (!out) co_return out.error();
  AuditEntry entry{actor, "user_certificate.export", owner,
                   "{\"thumbprints\":" + json::array(out->thumbprints) + "}"};
  auto logged = co_await certs_.append_audit(std::move(entry));
  if (!logged) co_return logged.error();
  co_return std::move(*out);
}

}  // namespace smimegw::directory
