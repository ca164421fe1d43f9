// app: the test PKI behind `smimegw pki init|issue|revoke|crl` (issue 4 item 7).
//
// A small certificate authority for tests, the integration harness and the README demo, built on
// Botan's X509_CA. Everything it knows lives as files in one directory:
//
//   root.pem, root.key.pem                  the self-signed root (PKCS#8 key, unencrypted, 0600)
//   intermediate.pem, intermediate.key.pem  present after `init --intermediate`
//   serial                                  next serial number, hex (starts at a random 63-bit
//                                           value, so two test PKIs never share serials)
//   issued/<SERIAL>.pem, issued/<SERIAL>.key.pem   every certificate issued (and its key)
//   revoked                                 one line per revocation: "<SERIAL> <unix time>
//   <reason>" root.crl, intermediate.crl              the last CRL published by each CA (DER); the
//   next
//                                           `pki crl` extends it (CRL number + 1)
//
// The issuing CA is the intermediate when there is one, else the root. Serials are printed and
// accepted as upper-case hex (as `openssl x509 -serial` prints them, colons and 0x allowed).
// Certificates carry SKI/AKI, basicConstraints (critical), keyUsage (critical) and, for users,
// subjectAltName rfc822Name, extendedKeyUsage, CRL distribution point and AIA caIssuers/OCSP URLs.
// Failure semantics: every operation returns core::Result with a one-line, path-naming message
// (codes: pki_usage for bad arguments, pki_state for a missing/corrupt/already-initialised
// directory, pki_io for file errors, pki_crypto for Botan failures).
#pragma once

#include <botan/pk_keys.h>
#include <botan/x509cert.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/core/result.hpp"

namespace smimegw::app::pki {

enum class KeyKind { rsa2048, rsa3072, p256, p384 };
enum class Usage { sign, encrypt, both };
enum class Eku { email, none, server_auth };

std::optional<KeyKind> parse_key_kind(const std::string& s);
std::optional<Usage> parse_usage(const std::string& s);
std::optional<Eku> parse_eku(const std::string& s);

/// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" or a relative "-30d"/"+2d"/"-5h" from now.
core::Result<std::chrono::system_clock::time_point> parse_time(const std::string& s);

/// Upper-case even-length hex of a serial; parse accepts hex with optional 0x and colons.
std::string serial_hex(const std::vector<std::uint8_t>& serial_be);
core::Result<std::string> normalize_serial(const std::string& text);

struct Validity {
  std::optional<std::chrono::system_clock::time_point> not_before;  ///< default: now - 1 h
  int days = 365;
};

struct InitOptions {
  std::string name = "smimegw Test Root";
  KeyKind key = KeyKind::rsa2048;
  bool intermediate = false;
  Validity validity{std::nullopt, 3650};
  std::string crl_url;  ///< put into the intermediate (the root's CRL)
  std::string aia_url;  ///< caIssuers URL of the intermediate (where the root can be fetched)
};

struct IssueOptions {
  std::vector<std::string> emails;  ///< rfc822Name SANs; at least one
  std::string name;                 ///< subject CN; default: the first e-mail
  Usage usage = Usage::both;
  KeyKind key = KeyKind::rsa2048;
  Eku eku = Eku::email;
  std::vector<std::string> crl_urls;
  std::string aia_url;   ///< caIssuers
  std::string ocsp_url;  ///< AIA OCSP
  Validity validity;
  bool subject_email = false;  ///< also put emailAddress into the subject DN
  bool no_san = false;         ///< leave out subjectAltName (tests of the subject-DN fallback)
  bool from_root = false;      ///< sign with the root even when an intermediate exists
};

struct Issued {
  std::string serial;  ///< upper-case hex
  Botan::X509_Certificate certificate;
  std::unique_ptr<Botan::Private_Key> key;
  std::filesystem::path cert_path, key_path;
};

/// One CA of the directory: its certificate and key.
struct Authority {
  std::string role;  ///< "root" or "intermediate"
  Botan::X509_Certificate certificate;
  std::unique_ptr<Botan::Private_Key> key;
};

class Directory {
 public:
  /// Creates the directory's root (and intermediate). pki_state if root.pem already exists.
  static core::Result<Directory> init(const std::filesystem::path& dir, const InitOptions& opts);
  /// Loads an initialised directory. pki_state when root.pem/root.key.pem are missing or bad.
  static core::Result<Directory> open(const std::filesystem::path& dir);

  core::Result<Issued> issue(const IssueOptions& opts);
  /// Records a revocation of a certificate this directory issued (by serial or by the
  /// certificate itself). Revoking twice is pki_state.
  core::Result<std::string> revoke(const std::string& serial, const std::string& reason);
  core::Result<std::string> revoke(const Botan::X509_Certificate& cert, const std::string& reason);
  /// A new CRL of `ca` (nullptr = the issuing CA) listing every revocation recorded for it,
  /// DER, and remembered as the base of the next one.
  /// `this_update` defaults to now; a past value with few days makes a stale CRL for tests.
  core::Result<std::vector<std::uint8_t>> crl(
      const Authority* ca, int next_update_days,
      std::optional<std::chrono::system_clock::time_point> this_update = std::nullopt);

  const Authority& root() const { return root_; }
  const Authority* intermediate() const { return intermediate_ ? &*intermediate_ : nullptr; }
  const Authority& issuing() const { return intermediate_ ? *intermediate_ : root_; }
  const std::filesystem::path& path() const { return dir_; }

 private:
  Directory(std::filesystem::path dir, Authority root, std::optional<Authority> inter)
      : dir_(std::move(dir)), root_(std::move(root)), intermediate_(std::move(inter)) {}
  core::Result<std::string> next_serial();
  const Authority* issuer_of(const Botan::X509_Certificate& cert) const;

  std::filesystem::path dir_;
  Authority root_;
  std::optional<Authority> intermediate_;
};

// Helpers shared by the pki files (pki_keys.cpp, pki_cert.cpp).
std::unique_ptr<Botan::Private_Key> generate_key(KeyKind kind);
std::string signature_hash(const Botan::Private_Key& key);
core::Status write_file(const std::filesystem::path& p, std::string_view data, bool secret = false);
core::Result<std::string> read_text(const std::filesystem::path& p);

struct CertSpec {
  std::string common_name;
  std::string organization;
  std::vector<std::string> subject_emails;  ///< emailAddress attributes in the DN
  bool ca = false;
  std::optional<std::size_t> path_len;
  Botan::Key_Constraints usage = Botan::NO_CONSTRAINTS;
  std::vector<std::string> eku_oids;
  std::vector<std::string> san_emails;
  std::vector<std::string> crl_urls;
  std::string aia_ca_issuers, aia_ocsp;
  std::chrono::system_clock::time_point not_before, not_after;
  std::string serial_hex;
};

/// Signs `spec` for `subject_key` with `issuer` (nullptr = self-signed with subject_key).
core::Result<Botan::X509_Certificate> make_certificate(const CertSpec& spec,
                                                       const Botan::Private_Key& subject_key,
                                                       const Authority* issuer);

}  // namespace smimegw::app::pki
