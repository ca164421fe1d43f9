// test_transport_inbound support: a test PKI and S/MIME messages made with the real `openssl`
// binary (the independent peer), in a per-process scratch directory.
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <filesystem>
#include <memory>
#include <string>

namespace smimegw::test {

struct Identity {
  std::string email;
  std::filesystem::path cert_pem, key_pem;
  Botan::X509_Certificate cert;
  std::shared_ptr<Botan::Private_Key> key;
};

const std::filesystem::path& work_dir();
/// "alice", "bob", "carol" (P-256): issued by the trusted CA (ca.pem); "eve": by a rogue CA that
/// is not an anchor; "gateway": a self-signed RSA-2048 key like the organisation's gateway key.
/// Certificates carry rfc822Name NAME@example.com.
const Identity& identity(const std::string& name);
std::filesystem::path ca_pem();
/// Runs `cmd` in work_dir() through /bin/sh; throws with its output when it fails.
void must(const std::string& cmd);
/// Runs `cmd`; returns the exit code (output in work_dir()/last.log).
int sh(const std::string& cmd);
std::string slurp(const std::filesystem::path& p);
void spit(const std::filesystem::path& p, const std::string& data);

/// A content entity (Content-Type + body) written to work_dir()/NAME; returns its path.
std::filesystem::path content_file(const std::string& name, const std::string& text);
/// Runs `openssl cms ARGS -in IN -out OUT` style commands and returns OUT's bytes.
std::string openssl_out(const std::string& cmd, const std::string& out_name);

}  // namespace smimegw::test
