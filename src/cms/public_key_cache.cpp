// cms: certificates' public keys decoded once per process (public_key_cache.hpp).
#include "public_key_cache.hpp"

#include <map>
#include <mutex>
#include <string>

namespace smimegw::cms::detail {

namespace {

constexpr std::size_t kMaxKeys = 4096;

struct Cache {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const Botan::Public_Key>> keys;  ///< SPKI DER → key
};

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

std::shared_ptr<const Botan::Public_Key> public_key_of(const Botan::X509_Certificate& cert) {
  const auto& spki = cert.subject_public_key_info();
  std::string id(spki.begin(), spki.end());
  auto& c = cache();
  {
    std::lock_guard lock(c.mutex);
    auto it = c.keys.find(id);
    if (it != c.keys.end()) return it->second;
  }
  std::shared_ptr<const Botan::Public_Key> key(cert.load_subject_public_key());
  std::lock_guard lock(c.mutex);
  if (c.keys.size() >= kMaxKeys) c.keys.clear();
  c.keys.emplace(std::move(id), key);
  return key;
}

}  // namespace smimegw::cms::detail
