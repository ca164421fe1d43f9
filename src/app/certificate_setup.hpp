// app: wiring of the directory's certificate services for a subcommand (users import-pkcs12 /
// export-pkcs12 / show, keys rotate) and the key-vault check that `serve` runs at start.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "smimegw/config/config.hpp"
#include "smimegw/core/clock.hpp"
#include "smimegw/db/anchor_store.hpp"
#include "smimegw/db/crl_store.hpp"
#include "smimegw/db/pg_certificate_store.hpp"
#include "smimegw/db/pg_user_store.hpp"
#include "smimegw/directory/certificate_service.hpp"
#include "smimegw/directory/key_vault.hpp"
#include "smimegw/trust/validator.hpp"

namespace smimegw::app {

/// Every object the certificate services need, built from the configuration.
struct CertificateSetup {
  db::Pool pool;
  db::PgUserStore users{pool};
  db::PgCertificateStore certs{pool};
  db::PgAnchorStore anchors{pool};
  db::PgCrlStore crls{pool};
  core::SystemClock clock;
  std::unique_ptr<trust::Validator> validator;
  std::optional<directory::KeyVault> vault;
  std::unique_ptr<directory::CertificateService> service;

  explicit CertificateSetup(const config::Config& cfg);
};

/// Builds the setup after the schema gate. With `need_vault` the KEK must load and match every
/// stored key (directory::check_kek); without it no KEK is read (users show).
core::Result<std::unique_ptr<CertificateSetup>> open_certificate_setup(const config::Config& cfg,
                                                                       bool need_vault);

/// The start-up check of `serve`: stored keys and keys.kek_file agree (directory::check_kek).
core::Status check_key_vault(const config::Config& cfg);

/// "cli:<login name>" for the audit log.
std::string cli_actor();

}  // namespace smimegw::app
