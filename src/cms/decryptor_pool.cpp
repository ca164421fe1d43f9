// cms: the pool of prepared RSA PK_Decryptors (decryptor_pool.hpp).
#include "decryptor_pool.hpp"

#include <botan/auto_rng.h>
#include <botan/pubkey.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace smimegw::cms::detail {

namespace {

constexpr std::size_t kMaxKeys = 256;
constexpr std::size_t kMaxIdle = 8;

struct Slot {
  Botan::AutoSeeded_RNG rng;
  std::unique_ptr<Botan::PK_Decryptor_EME> decryptor;
};

struct Pool {
  std::mutex mutex;
  std::map<std::string, std::vector<std::unique_ptr<Slot>>> idle;  ///< eme + public key → slots
};

Pool& pool() {
  static Pool p;
  return p;
}

std::unique_ptr<Slot> acquire(const std::string& id, const Botan::Private_Key& key,
                              const std::string& eme) {
  auto& p = pool();
  {
    std::lock_guard lock(p.mutex);
    auto it = p.idle.find(id);
    if (it != p.idle.end() && !it->second.empty()) {
      auto s = std::move(it->second.back());
      it->second.pop_back();
      return s;
    }
  }
  auto s = std::make_unique<Slot>();
  s->decryptor = std::make_unique<Botan::PK_Decryptor_EME>(key, s->rng, eme);
  return s;
}

void release(const std::string& id, std::unique_ptr<Slot> s) {
  auto& p = pool();
  std::lock_guard lock(p.mutex);
  if (p.idle.size() >= kMaxKeys && p.idle.find(id) == p.idle.end()) p.idle.clear();
  auto& slots = p.idle[id];
  if (slots.size() < kMaxIdle) slots.push_back(std::move(s));
}

}  // namespace

Botan::secure_vector<std::uint8_t> pooled_decrypt_or_random(const Botan::Private_Key& key,
                                                            const std::string& eme,
                                                            const std::uint8_t* ek, std::size_t len,
                                                            std::size_t cek_len) {
  const auto bits = key.public_key_bits();
  std::string id = eme;
  id.push_back('\0');
  id.append(bits.begin(), bits.end());
  auto slot = acquire(id, key, eme);
  // A throwing decryptor is dropped with its slot (its state is unknown).
  auto cek = slot->decryptor->decrypt_or_random(ek, len, cek_len, slot->rng);
  release(id, std::move(slot));
  return cek;
}

}  // namespace smimegw::cms::detail
