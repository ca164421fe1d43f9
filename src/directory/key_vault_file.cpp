// directory: the KEK file — checked loading and creation (key_vault.hpp).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "smimegw/directory/key_vault.hpp"

namespace smimegw::directory {
namespace {

std::string octal_mode(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

core::Error unreadable(const std::filesystem::path& p, int err) {
  return core::Error::make(
      "kek_unreadable", "keys.kek_file " + p.string() + " cannot be read: " + std::strerror(err));
}

}  // namespace

core::Result<KeyVault> KeyVault::load(const std::filesystem::path& path) {
  // open first, then fstat the open file: the checks apply to exactly what is read
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT)
      return core::Error::make("kek_missing",
                               "keys.kek_file " + path.string() +
                                   " does not exist; create it with `smimegw keys init -c CONFIG`");
    return unreadable(path, err);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return unreadable(path, err);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::Error::make("kek_insecure",
                             "keys.kek_file " + path.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return core::Error::make(
        "kek_insecure", "keys.kek_file " + path.string() + " has mode " + octal_mode(st.st_mode) +
                            ": group or others may access it; run `chmod 600 " + path.string() +
                            "` (the KEK protects every stored private key)");
  }
  Botan::secure_vector<std::uint8_t> buf(kKekBytes + 1);
  std::size_t got = 0;
  while (got < buf.size()) {
    auto n = ::read(fd, buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return unreadable(path, err);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got != kKekBytes)
    return core::Error::make(
        "kek_invalid", "keys.kek_file " + path.string() + " holds " +
                           (got > kKekBytes ? std::string("more than 32") : std::to_string(got)) +
                           " bytes; a KEK is exactly 32 random bytes");
  return from_bytes(std::span<const std::uint8_t>(buf.data(), kKekBytes));
}

core::Result<std::string> KeyVault::create_kek_file(const std::filesystem::path& path,
                                                    Botan::RandomNumberGenerator& rng) {
  std::error_code ec;
  if (path.has_parent_path() && !std::filesystem::exists(path.parent_path(), ec)) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      return core::Error::make(
          "kek_unreadable", "cannot create " + path.parent_path().string() + ": " + ec.message());
    ::chmod(path.parent_path().c_str(), 0700);
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    int err = errno;
    if (err == EEXIST)
      return core::Error::make("kek_exists", path.string() +
                                                 " already exists; refusing to overwrite a KEK "
                                                 "(keys wrapped under it would be lost)");
    return core::Error::make("kek_unreadable",
                             "cannot create " + path.string() + ": " + std::strerror(err));
  }
  ::fchmod(fd, 0600);  // whatever the umask was
  auto kek = rng.random_vec(kKekBytes);
  std::size_t put = 0;
  while (put < kek.size()) {
    auto n = ::write(fd, kek.data() + put, kek.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return core::Error::make("kek_unreadable",
                               "cannot write " + path.string() + ": " + std::strerror(err));
    }
    put += static_cast<std::size_t>(n);
  }
  int sync_rc = ::fsync(fd);
  ::close(fd);
  if (sync_rc != 0) {
    ::unlink(path.c_str());
    return core::Error::make("kek_unreadable", "cannot write " + path.string());
  }
  return kek_id_of(kek);
}

}  // namespace smimegw::directory
