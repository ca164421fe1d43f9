// directory: start-up KEK check and rotation (key_rotation.hpp).
#include "smimegw/directory/key_rotation.hpp"

#include <botan/auto_rng.h>

#include <functional>
#include <memory>

namespace smimegw::directory {

namespace asio = boost::asio;

namespace {

core::Result<std::string> judge(const std::vector<std::string>& ids,
                                const std::filesystem::path& kek_file) {
  auto vault = KeyVault::load(kek_file);
  if (!vault) {
    if (ids.empty() && vault.error().code == "kek_missing") return std::string();
    if (ids.empty()) return vault.error();
    return core::Error::make(vault.error().code, vault.error().message +
                                                     " (the database holds private keys wrapped "
                                                     "under KEK " +
                                                     ids.front() + ")");
  }
  std::string others;
  bool mine = false;
  for (const auto& id : ids)
    if (id != vault->kek_id())
      others += (others.empty() ? "" : ", ") + id;
    else
      mine = true;
  if (!others.empty() && mine)  // some keys under this KEK, some under another: a rotation spoiled
    return core::Error::make(
        "kek_mismatch", "keys.kek_file " + kek_file.string() + " holds KEK " + vault->kek_id() +
                            ", but some stored private keys are wrapped under KEK " + others +
                            " (imported while a gateway still ran with the old KEK after `smimegw "
                            "keys rotate`?): with keys.kek_file set to the file of KEK " +
                            others + ", run `smimegw keys rotate` " + kek_file.string() + " again");
  if (!others.empty())
    return core::Error::make(
        "kek_mismatch", "keys.kek_file " + kek_file.string() + " holds KEK " + vault->kek_id() +
                            ", but stored private keys are wrapped under KEK " + others +
                            " (wrong file? after `smimegw keys rotate`, point keys.kek_file at "
                            "the new file)");
  return vault->kek_id();
}

core::Result<WrappedKey> rewrap_one(const KeyVault& old_vault, const KeyVault& new_vault,
                                    Botan::RandomNumberGenerator& rng, const WrappedKeyRow& row) {
  if (row.key.kek_id == new_vault.kek_id()) return row.key;
  auto plain = old_vault.unwrap(row.key, row.thumbprint);
  if (!plain) return plain.error();
  return new_vault.wrap(*plain, row.thumbprint, rng);
}

}  // namespace

asio::awaitable<core::Result<std::string>> check_kek(CertificateStore& store,
                                                     std::filesystem::path kek_file) {
  auto ids = co_await store.kek_ids();
  if (!ids) co_return ids.error();
  co_return judge(*ids, kek_file);
}

asio::awaitable<core::Result<std::size_t>> rotate_kek(CertificateStore& store,
                                                      const KeyVault& old_vault,
                                                      const KeyVault& new_vault,
                                                      std::string actor) {
  // Named locals and a lambda capturing only pointers: g++ 12 destroys temporaries passed into a
  // nested co_await twice (docs/architecture.md).
  Botan::AutoSeeded_RNG rng;
  const KeyVault* from = &old_vault;
  const KeyVault* to = &new_vault;
  Botan::RandomNumberGenerator* r = &rng;
  std::function<core::Result<WrappedKey>(const WrappedKeyRow&)> rewrap =
      [from, to, r](const WrappedKeyRow& row) { return rewrap_one(*from, *to, *r, row); };
  AuditEntry audit{
      actor, "keys.rotate", "",
      "{\"from\":\"" + old_vault.kek_id() + "\",\"to\":\"" + new_vault.kek_id() + "\"}"};
  auto result = co_await store.rewrap_all(std::move(rewrap), std::move(audit));
  co_return result;
}

}  // namespace smimegw::directory
