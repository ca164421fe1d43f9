// A 25 MiB message through sign, verify, encrypt and decrypt: peak heap stays under 4× the
// message size (input included) and the results are right. Peak heap is measured with the
// sanitizer allocator hooks (ASan builds) or a replaced global operator new (other builds; Botan's
// large secure buffers come from calloc there and are not seen, so those builds check less).
#include <botan/auto_rng.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <new>

#include "openssl_pki.hpp"
#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/signed_data.hpp"

using namespace smimegw;

namespace {

std::atomic<long long> g_live{0};
std::atomic<long long> g_peak{0};
std::atomic<bool> g_on{false};

void grew(long long n) {
  const long long now = g_live.fetch_add(n) + n;
  long long p = g_peak.load();
  while (now > p && !g_peak.compare_exchange_weak(p, now)) {
  }
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void*,
                                                                  std::size_t),
                                                         void (*)(const volatile void*));
extern "C" std::size_t __sanitizer_get_allocated_size(const volatile void* p);
namespace {
void on_malloc(const volatile void*, std::size_t n) {
  if (g_on) grew(static_cast<long long>(n));
}
void on_free(const volatile void* p) {
  if (g_on) g_live -= static_cast<long long>(__sanitizer_get_allocated_size(p));
}
void install() {
  static const bool once = (__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free), true);
  (void)once;
}
}  // namespace
#else
#include <malloc.h>
void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  if (g_on) grew(static_cast<long long>(malloc_usable_size(p)));
  return p;
}
void operator delete(void* p) noexcept {
  if (p && g_on) g_live -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  operator delete(p);
}
namespace {
void install() {}
}  // namespace
#endif

namespace {

/// Runs f and returns the peak heap growth in bytes while it ran.
template <class F>
long long peak_of(F&& f) {
  install();
  g_live = 0;
  g_peak = 0;
  g_on = true;
  f();
  g_on = false;
  return g_peak.load();
}

}  // namespace

TEST_CASE("25 MiB message: sign, verify, encrypt, decrypt stay under 4x memory", "[cms][large]") {
  Botan::AutoSeeded_RNG rng;
  const std::size_t size = 25u * 1024 * 1024;
  std::vector<std::uint8_t> content(size);
  for (std::size_t i = 0; i < size; ++i) content[i] = static_cast<std::uint8_t>(i * 7 + (i >> 12));
  const auto& id = test::identity("rsa");
  const double limit = 4.0 * static_cast<double>(size);
  const double input = static_cast<double>(size);  // held by the caller throughout

  std::vector<std::uint8_t> sig;
  cms::SignOptions so;
  so.detached = false;
  auto p = peak_of([&] {
    auto r = cms::sign(content, {cms::SignerSpec{id.cert, id.key.get()}}, so, rng);
    REQUIRE(r.ok());
    sig = std::move(*r);
  });
  INFO("sign peak " << p);
  CHECK(input + static_cast<double>(p) < limit);

  p = peak_of([&] {
    auto v = cms::verify(sig, std::nullopt);
    REQUIRE(v.ok());
    CHECK(v->all_valid());
    CHECK(v->content->size() == size);
  });
  INFO("verify peak " << p);
  CHECK(input + static_cast<double>(p) < limit);
  sig = {};

  for (auto cipher : {cms::ContentCipher::aes256_cbc, cms::ContentCipher::aes256_gcm}) {
    std::vector<std::uint8_t> env;
    p = peak_of([&] {
      cms::EncryptOptions eo;
      eo.cipher = cipher;
      auto r = cms::encrypt(content, {cms::RecipientSpec{id.cert}}, eo, rng);
      REQUIRE(r.ok());
      env = std::move(*r);
    });
    INFO("encrypt peak " << p);
    CHECK(input + static_cast<double>(p) < limit);
    p = peak_of([&] {
      auto d = cms::decrypt(env, cms::DecryptKey{id.cert, id.key.get()}, rng);
      REQUIRE(d.ok());
      CHECK(d->content.size() == size);
      CHECK(std::equal(d->content.begin(), d->content.end(), content.begin()));
    });
    INFO("decrypt peak " << p);
    CHECK(input + static_cast<double>(p) < limit);
  }
}
