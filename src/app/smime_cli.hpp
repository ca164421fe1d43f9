// app: shared pieces of `smimegw smime` and `smimegw pkcs12` — file I/O, loading certificates,
// keys and PKCS#12 identities, and the JSON rendering of reports.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/smime/inspect.hpp"
#include "smimegw/smime/report.hpp"
#include "smimegw/trust/validation.hpp"

namespace smimegw::app {

/// Reads a whole file ("-" = stdin); nullopt with `error` set when it cannot be read.
std::optional<std::string> read_whole(const std::string& path, std::string& error);
/// Writes `data` to `path` ("-" or "" = stdout); false with `error` on failure.
bool write_whole(const std::string& path, const std::string& data, std::string& error);
/// The first line of a password file, without its line break.
std::optional<std::string> read_password_file(const std::string& path, std::string& error);
/// Every certificate in a PEM (or DER) file.
std::optional<std::vector<Botan::X509_Certificate>> load_certificates(const std::string& path,
                                                                      std::string& error);
std::unique_ptr<Botan::Private_Key> load_private_key(const std::string& path,
                                                     Botan::RandomNumberGenerator& rng,
                                                     std::string& error);
/// A PKCS#12 file opened with the password in `password_file`.
std::optional<cms::Pkcs12Contents> load_pkcs12(const std::string& path,
                                               const std::string& password_file,
                                               std::string& error);

/// Trust-service results of `verify --trust/--db`, by signer certificate SHA-256 (hex).
using TrustResults = std::map<std::string, trust::ValidationResult>;

/// `verify --json` document; with `trust`, each signer gets a "trust" object (trust_cli.hpp).
std::string report_json(const smime::Report& report, const TrustResults* trust = nullptr);
/// Human-readable lines for `verify` without --json (trust warnings and revocation sources too).
std::string report_text(const smime::Report& report, const TrustResults* trust = nullptr);

}  // namespace smimegw::app
