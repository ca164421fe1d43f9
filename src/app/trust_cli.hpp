// app: the trust options shared by `smimegw cert verify` and `smimegw smime verify` — anchors from
// --trust files or the configured database (--db), --untrusted and --crl files, --at, --revocation,
// --ocsp, --offline and the weak-algorithm allowance — turned into one trust::Validator.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "args.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/crl_store.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::app {

/// The option specs (trust, db, config, untrusted, crl, at, revocation, ocsp, offline).
std::vector<OptionSpec> trust_option_specs();

/// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ".
std::optional<std::chrono::system_clock::time_point> parse_utc_time(const std::string& s);

/// Every certificate of the files; false after reporting "<cmd>: code: message".
bool load_certificate_files(const std::vector<std::string>& files, const std::string& cmd,
                            std::vector<Botan::X509_Certificate>& out);

/// {"status", "errors":[{code,message,depth}], "warnings", "chain", "revocation", "emails"}.
boost::json::object trust_result_json(const trust::ValidationResult& r);

/// A validator and what it needs to live (database pool and stores with --db).
struct TrustSetup {
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<db::PgAnchorStore> anchors;
  std::unique_ptr<db::PgCrlStore> crl_store;
  std::unique_ptr<trust::Validator> validator;
  std::vector<Botan::X509_Certificate> untrusted;  ///< --untrusted
  std::chrono::system_clock::time_point at;        ///< --at, else now
  trust::RevocationMode revocation = trust::RevocationMode::require;
};

/// Builds the validator from the parsed options; `opt` carries what the command decided already
/// (accept_sha1, min_key_strength). Exactly one of --trust and --db is required. Returns the exit
/// code to use on failure (2, after reporting), or 0.
int make_trust_setup(const Args& args, const std::string& cmd, trust::ValidatorOptions opt,
                     TrustSetup& out);

}  // namespace smimegw::app
