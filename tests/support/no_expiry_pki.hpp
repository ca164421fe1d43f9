// Test support: a small OpenSSL-made PKI with certificates whose notAfter is 99991231235959Z
// (RFC 5280 §4.1.2.5, "no well-defined expiration"), made by `openssl ca -enddate`.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace smimegw::test {

inline const char* kCaConfig = R"([ca]
default_ca = ca_default
[ca_default]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
emailAddress = optional
[leaf_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:fran@example.com
[root_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
)";

/// Makes, in `dir`: root.pem (ordinary), leaf.pem (notAfter 9999, issued by root.pem),
/// root9999.pem (self-signed, notAfter 9999) and leaf2.pem (ordinary, issued by root9999.pem).
inline void make_no_expiry_pki(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  fs::create_directories(dir);
  std::ofstream(dir / "ca.cnf") << kCaConfig;
  std::ofstream(dir / "index.txt");
  std::ofstream(dir / "serial") << "1000\n";
  const std::string ca = "openssl ca -batch -config ca.cnf -notext -startdate 20200101000000Z ";
  const std::string cmd =
      "(cd " + dir.string() +
      " && openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem"
      "   -subj '/CN=Ordinary Root' -days 3650 -config ca.cnf -extensions root_ext"
      " && openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr"
      "   -subj '/CN=Fran/emailAddress=fran@example.com'"
      " && " +
      ca +
      "-enddate 99991231235959Z -cert root.pem -keyfile root.key -extensions leaf_ext"
      "   -in leaf.csr -out leaf.pem"
      " && openssl req -new -newkey rsa:2048 -nodes -keyout root9999.key -out root9999.csr"
      "   -subj '/CN=Forever Root'"
      " && " +
      ca +
      "-enddate 99991231235959Z -selfsign -keyfile root9999.key -extensions root_ext"
      "   -in root9999.csr -out root9999.pem"
      " && " +
      ca +
      "-enddate 20400101000000Z -cert root9999.pem -keyfile root9999.key"
      "   -extensions leaf_ext -in leaf.csr -out leaf2.pem"
      ") > " +
      (dir / "openssl.log").string() + " 2>&1";
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);
}

}  // namespace smimegw::test
