// test_cms support: keys and self-signed certificates made by the real `openssl` binary in a
// temporary directory (once per process), and helpers to run `openssl cms` on our output.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace smimegw::test {

struct Identity {
  std::string name;  ///< "rsa", "rsa2", "p256", "p384", "ed25519"
  std::filesystem::path cert_pem;
  std::filesystem::path key_pem;
  Botan::X509_Certificate cert;
  std::shared_ptr<Botan::Private_Key> key;
};

/// The temporary working directory of this test process.
const std::filesystem::path& work_dir();
/// Generated once: rsa (2048), rsa2 (2048, a stranger), p256, p384, ed25519.
const Identity& identity(const std::string& name);
/// Loads a PEM certificate + PKCS#8 key file pair.
Identity load_identity(const std::string& name, const std::filesystem::path& cert,
                       const std::filesystem::path& key);

/// Runs a shell command; returns its exit status (stdout/stderr go to work_dir()/last.log).
int run(const std::string& cmd);
std::string last_log();
void write_bytes(const std::filesystem::path& p, const std::vector<std::uint8_t>& data);
std::vector<std::uint8_t> read_bytes(const std::filesystem::path& p);
std::vector<std::uint8_t> sample_content(std::size_t n = 1000);
/// Unique file name in work_dir().
std::filesystem::path tmp(const std::string& stem);

}  // namespace smimegw::test
