// Test helpers for the PKCS#12 suite: a scratch directory, running openssl, reading files and
// a shared set of OpenSSL-made keys and certificates (made once per run).
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace smimegw::test::p12 {

using Bytes = std::vector<std::uint8_t>;

/// A fresh directory under the system temp dir, removed at exit of the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Runs a shell command in `dir`; returns its exit status. Output goes to dir/last.log.
int run(const TempDir& dir, const std::string& command);
/// Runs a command and REQUIREs it to succeed (prints its log otherwise).
void must_run(const TempDir& dir, const std::string& command);

Bytes read_bytes(const std::filesystem::path& p);
void write_bytes(const std::filesystem::path& p, const Bytes& b);

/// The key + certificate material the tests share: an RSA CA, RSA and EC leaf certificates
/// (PEM files key/cert in the directory), made with OpenSSL.
struct Material {
  TempDir dir;
  // file names inside dir: ca.pem ca.key rsa.key rsa.pem ec.key ec.pem rsa2.key rsa2.pem
};
const Material& material();

/// SubjectPublicKeyInfo DER of a PEM private key, as OpenSSL computes it.
Bytes openssl_spki(const TempDir& dir, const std::string& key_file);
/// DER of a PEM certificate, as OpenSSL writes it.
Bytes openssl_cert_der(const TempDir& dir, const std::string& cert_file);

std::unique_ptr<Botan::Private_Key> load_key_pem(const std::string& file);
/// Every PEM block of `label` ("PRIVATE KEY", "CERTIFICATE") in a text file.
std::vector<std::string> pem_blocks(const std::string& text, const std::string& label);

}  // namespace smimegw::test::p12

namespace smimegw::test::p12 {
/// Re-encodes DER as BER the way NSS/Windows may: every constructed element with indefinite
/// length, every OCTET STRING longer than 16 bytes as a constructed string of 16-byte pieces.
/// Does not descend into OCTET STRING contents (so MACs over them stay valid).
Bytes berify(const Bytes& der);
}  // namespace smimegw::test::p12
