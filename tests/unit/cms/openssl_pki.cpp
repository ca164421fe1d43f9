#include "openssl_pki.hpp"

#include <botan/data_src.h>
#include <botan/pkcs8.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace smimegw::test {

const std::filesystem::path& work_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("smimegw_cms_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("smimegw_cms_" + std::to_string(::getpid())),
          ec);
    });
    return d;
  }();
  return dir;
}

int run(const std::string& cmd) {
  const std::string full = "(" + cmd + ") >" + (work_dir() / "last.log").string() + " 2>&1";
  const int rc = std::system(full.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 255;
}

std::string last_log() {
  std::ifstream in(work_dir() / "last.log");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_bytes(const std::filesystem::path& p, const std::vector<std::uint8_t>& data) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
}

std::vector<std::uint8_t> sample_content(std::size_t n) {
  std::vector<std::uint8_t> v;
  const std::string head = "Content-Type: text/plain\r\n\r\nHello S/MIME\r\n";
  v.assign(head.begin(), head.end());
  for (std::size_t i = 0; v.size() < n; ++i)
    v.push_back(static_cast<std::uint8_t>((i * 131 + 7) & 0xFF));
  return v;
}

std::filesystem::path tmp(const std::string& stem) {
  static std::atomic<int> n{0};
  return work_dir() / (stem + "_" + std::to_string(n++));
}

Identity load_identity(const std::string& name, const std::filesystem::path& cert,
                       const std::filesystem::path& key) {
  Botan::DataSource_Stream src(key.string());
  std::shared_ptr<Botan::Private_Key> k(Botan::PKCS8::load_key(src).release());
  return Identity{name, cert, key, Botan::X509_Certificate(cert.string()), k};
}

const Identity& identity(const std::string& name) {
  static std::mutex mu;
  // Leaked on purpose: Botan's locked-memory pool is torn down before function statics would be.
  static auto& cache = *new std::map<std::string, Identity>;
  std::lock_guard lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const std::map<std::string, std::string> newkey = {
      {"rsa", "-newkey rsa:2048"},
      {"rsa2", "-newkey rsa:2048"},
      {"p256", "-newkey ec -pkeyopt ec_paramgen_curve:P-256"},
      {"p384", "-newkey ec -pkeyopt ec_paramgen_curve:P-384"},
      {"ed25519", "-newkey ed25519"}};
  auto nk = newkey.find(name);
  REQUIRE(nk != newkey.end());
  const auto cert = work_dir() / (name + ".crt");
  const auto key = work_dir() / (name + ".key");
  const int rc = run("openssl req -x509 " + nk->second + " -nodes -days 3650 -subj /CN=smimegw-" +
                     name + "/emailAddress=" + name + "@example.test -keyout " + key.string() +
                     " -out " + cert.string());
  INFO(last_log());
  REQUIRE(rc == 0);
  return cache.emplace(name, load_identity(name, cert, key)).first->second;
}

}  // namespace smimegw::test
