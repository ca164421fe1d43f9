// app: shared pieces of `smimegw smime` and `smimegw pkcs12` — file I/O, loading certificates,
// keys and PKCS#12 identities, the --trust chain check, and the JSON rendering of reports.
#pragma once

#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/x509cert.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smimegw/cms/enveloped_data.hpp"
#include "smimegw/cms/pkcs12.hpp"
#include "smimegw/smime/inspect.hpp"
#include "smimegw/smime/report.hpp"

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

/// Botan path validation against `roots` (no revocation): the interim --trust check.
smime::ChainCheck plain_chain_check(std::vector<Botan::X509_Certificate> roots);

/// `verify --json` document.
std::string report_json(const smime::Report& report);
/// Human-readable lines for `verify` without --json.
std::string report_text(const smime::Report& report);

}  // namespace smimegw::app
