// The key vault without a database: AES-256-GCM round trip, binding to the certificate row, wrong
// KEK, tampering, and the KEK file rules (mode, size, no overwrite).
#include "smimegw/directory/key_vault.hpp"

#include <botan/auto_rng.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace smimegw;
using directory::KeyVault;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/vault_test_XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

KeyVault vault_of(std::uint8_t fill) {
  std::vector<std::uint8_t> kek(32, fill);
  auto v = KeyVault::from_bytes(kek);
  REQUIRE(v.ok());
  return std::move(*v);
}

const std::string kThumb(40, 'A');
const std::vector<std::uint8_t> kSecret = {0x30, 0x82, 0x01, 0x02, 's', 'e', 'c', 'r',
                                           'e',  't',  0x00, 0xFF, 'k', 'e', 'y'};

void write_file(const fs::path& p, const std::vector<std::uint8_t>& bytes, mode_t mode) {
  {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
  }
  ::chmod(p.c_str(), mode);
}

}  // namespace

TEST_CASE("a wrapped key opens with the same KEK and thumbprint, and never contains the key") {
  Botan::AutoSeeded_RNG rng;
  auto v = vault_of(7);
  auto w = v.wrap(kSecret, kThumb, rng);
  CHECK(w.kek_id == v.kek_id());
  CHECK(v.kek_id().size() == 16);
  CHECK(w.ciphertext.size() == 1 + 8 + 12 + kSecret.size() + 16);
  CHECK(std::search(w.ciphertext.begin(), w.ciphertext.end(), kSecret.begin() + 4,
                    kSecret.begin() + 10) == w.ciphertext.end());
  auto back = v.unwrap(w, kThumb);
  REQUIRE(back.ok());
  CHECK(std::vector<std::uint8_t>(back->begin(), back->end()) == kSecret);
  // a fresh nonce every time
  CHECK(v.wrap(kSecret, kThumb, rng).ciphertext != w.ciphertext);
}

TEST_CASE("the wrong KEK is refused with kek_mismatch naming both ids, never garbage") {
  Botan::AutoSeeded_RNG rng;
  auto v = vault_of(7);
  auto other = vault_of(8);
  CHECK(other.kek_id() != v.kek_id());
  auto w = v.wrap(kSecret, kThumb, rng);
  auto r = other.unwrap(w, kThumb);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "kek_mismatch");
  CHECK(r.error().message.find(v.kek_id()) != std::string::npos);
  CHECK(r.error().message.find(other.kek_id()) != std::string::npos);
  // relabelled to pretend it is the other KEK's: the id inside the ciphertext still differs
  auto relabelled = w;
  relabelled.kek_id = other.kek_id();
  CHECK(other.unwrap(relabelled, kThumb).error().code == "kek_mismatch");
}

TEST_CASE("tampered ciphertext, a moved row and a truncated blob fail authentication") {
  Botan::AutoSeeded_RNG rng;
  auto v = vault_of(7);
  auto w = v.wrap(kSecret, kThumb, rng);
  for (std::size_t pos : {std::size_t{10}, std::size_t{25}, w.ciphertext.size() - 1}) {
    auto t = w;
    t.ciphertext[pos] ^= 0x01;
    auto r = v.unwrap(t, kThumb);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "key_tampered");
  }
  CHECK(v.unwrap(w, std::string(40, 'B')).error().code == "key_tampered");  // other row
  auto version = w;
  version.ciphertext[0] = 2;
  CHECK(v.unwrap(version, kThumb).error().code == "vault_format");
  auto cut = w;
  cut.ciphertext.resize(20);
  CHECK(v.unwrap(cut, kThumb).error().code == "vault_format");
}

TEST_CASE("the KEK file must exist, be 0600-ish, regular and exactly 32 bytes") {
  TempDir d;
  auto missing = KeyVault::load(d.path / "none.bin");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "kek_missing");
  CHECK(missing.error().message.find("smimegw keys init") != std::string::npos);

  std::vector<std::uint8_t> kek(32, 0x42);
  write_file(d.path / "open.bin", kek, 0644);
  auto open = KeyVault::load(d.path / "open.bin");
  REQUIRE_FALSE(open.ok());
  CHECK(open.error().code == "kek_insecure");
  CHECK(open.error().message.find("0644") != std::string::npos);
  CHECK(open.error().message.find("chmod 600") != std::string::npos);
  write_file(d.path / "group.bin", kek, 0640);
  CHECK(KeyVault::load(d.path / "group.bin").error().code == "kek_insecure");

  write_file(d.path / "short.bin", std::vector<std::uint8_t>(31, 1), 0600);
  CHECK(KeyVault::load(d.path / "short.bin").error().code == "kek_invalid");
  write_file(d.path / "long.bin", std::vector<std::uint8_t>(33, 1), 0600);
  CHECK(KeyVault::load(d.path / "long.bin").error().code == "kek_invalid");
  fs::create_directory(d.path / "dir.bin");
  ::chmod((d.path / "dir.bin").c_str(), 0700);
  CHECK(KeyVault::load(d.path / "dir.bin").error().code == "kek_insecure");

  write_file(d.path / "good.bin", kek, 0600);
  auto good = KeyVault::load(d.path / "good.bin");
  REQUIRE(good.ok());
  CHECK(good->kek_id() == vault_of(0x42).kek_id());
  CHECK(good->kek_id() == directory::kek_id_of(kek));
  write_file(d.path / "ro.bin", kek, 0400);
  CHECK(KeyVault::load(d.path / "ro.bin").ok());
}

TEST_CASE("keys init creates a random 0600 KEK file and never overwrites one") {
  TempDir d;
  Botan::AutoSeeded_RNG rng;
  auto old_mask = ::umask(0);  // even a permissive umask must not widen the mode
  auto id = KeyVault::create_kek_file(d.path / "sub" / "kek.bin", rng);
  ::umask(old_mask);
  REQUIRE(id.ok());
  struct stat st {};
  REQUIRE(::stat((d.path / "sub" / "kek.bin").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  auto loaded = KeyVault::load(d.path / "sub" / "kek.bin");
  REQUIRE(loaded.ok());
  CHECK(loaded->kek_id() == *id);

  auto again = KeyVault::create_kek_file(d.path / "sub" / "kek.bin", rng);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "kek_exists");
  CHECK(KeyVault::load(d.path / "sub" / "kek.bin")->kek_id() == *id);  // untouched

  auto second = KeyVault::create_kek_file(d.path / "other.bin", rng);
  REQUIRE(second.ok());
  CHECK(*second != *id);
}
