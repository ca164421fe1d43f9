// test_smime support: a tiny test PKI made with the real `openssl` binary (once per process) and
// helpers to run it on our output.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <filesystem>
#include <memory>
#include <string>

namespace smimegw::test {

struct SmimeIdentity {
  std::string email;
  std::filesystem::path cert_pem, key_pem;
  Botan::X509_Certificate cert;
  std::shared_ptr<Botan::Private_Key> key;
};

const std::filesystem::path& smime_work_dir();
/// CA-issued identities: "alice" (RSA-2048), "bob" (RSA-2048), "carol" (P-256), "mallory"
/// (RSA-2048, a stranger to every message). Certificates carry rfc822Name = NAME@example.com.
const SmimeIdentity& smime_identity(const std::string& name);
std::filesystem::path smime_ca_pem();
int sh(const std::string& cmd);  ///< runs through /bin/sh, output to smime_work_dir()/last.log
std::string slurp(const std::filesystem::path& p);
void spit(const std::filesystem::path& p, const std::string& data);
std::string sample_message(const std::string& from = "alice@example.com",
                           std::size_t body_bytes = 200);

}  // namespace smimegw::test
